import type { CommandKind } from './command';
import { echo } from './echo';

interface HelpEntry {
  topic: string;
  kind: CommandKind;
  usage: string;
  summary: string;
  examples: string[];
}

/** Every command of the grammar, in the order help lists them. */
const ENTRIES: HelpEntry[] = [
  {
    topic: 'diff',
    kind: 'diff-kustomization',
    usage: '/flux diff ks NAME --github-ref <PR number|PR URL|branch> [--cluster C] [-n NS]',
    summary: "`flux diff kustomization` of a PR's code against the live cluster; the report lands in the channel with Post diff to PR, Approve PR and View PR.",
    examples: ['/flux diff ks apps --github-ref 42', '/flux diff ks flux-system/apps --github-ref https://github.com/acme/fleet/pull/42 --cluster stage'],
  },
  { topic: 'list', kind: 'list', usage: '/flux list [APP]', summary: 'app versions across clusters.', examples: ['/flux list', '/flux list podinfo'] },
  { topic: 'diff', kind: 'diff-environment', usage: '/flux diff ENV', summary: 'apps whose version on ENV differs from the other clusters.', examples: ['/flux diff prod'] },
  { topic: 'promote', kind: 'promote', usage: '/flux promote APP@VERSION to ENV', summary: 'commit the version to the GitOps repository (admins).', examples: ['/flux promote podinfo@6.5.4 to prod'] },
  { topic: 'rollback', kind: 'rollback', usage: '/flux rollback APP on ENV', summary: 'back to the last successful deployment before the current one (admins).', examples: ['/flux rollback podinfo on prod'] },
  {
    topic: 'history',
    kind: 'history',
    usage: '/flux history APP [on ENV]',
    summary: 'what deployed when, newest first: cluster, version, Flux reason, and who (a promote/rollback by someone, else Flux). An environment is a cluster name.',
    examples: ['/flux history podinfo', '/flux history podinfo on prod'],
  },
  {
    topic: 'get',
    kind: 'flux-cli',
    usage: '/flux get|reconcile|suspend|resume|tree|events …',
    summary:
      'Flux CLI commands, run on the cluster by the worker: `get kustomizations|helmreleases|sources git|helm|oci [NAME] [-n NS | -A]`, `reconcile ks|hr|source git NAME [--with-source]`, `suspend|resume ks|hr NAME`, `tree ks NAME`, `events [--for Kind/NAME]`; each takes `--cluster C`. Tables come with a menu of their rows; choose one to reconcile, suspend or resume it (admins) or see its events.',
    examples: ['/flux get ks -A', '/flux get hr podinfo -n podinfo --cluster prod', '/flux reconcile ks apps --with-source', '/flux suspend hr podinfo -n podinfo', '/flux tree ks flux-system', '/flux events --for Kustomization/apps'],
  },
];

function describe(entry: HelpEntry): string {
  return [`*\`${entry.usage}\`*: ${entry.summary}`, ...entry.examples.map((e) => `    e.g. \`${e}\``)].join('\n');
}

/** The grammar with examples; a topic narrows it to one command. */
export function helpText(topic?: string): string {
  const chosen = topic ? ENTRIES.filter((entry) => entry.topic === topic) : ENTRIES;
  return [
    topic && chosen.length === 0 ? `No help on ${echo(topic)}; here is everything:` : '*Fluxline* — Flux from Slack',
    ...(chosen.length ? chosen : ENTRIES).map(describe),
    '*`/flux help [COMMAND]`*: this help.',
  ].join('\n');
}
