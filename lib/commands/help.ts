import type { CommandKind } from './command';

interface HelpEntry {
  topic: string;
  kind: CommandKind;
  usage: string;
  summary: string;
  examples: string[];
}

/** Every command of the grammar; `AVAILABLE` says which this version runs. */
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
  { topic: 'get', kind: 'flux-cli', usage: '/flux get|reconcile|suspend|resume|tree|events …', summary: 'Flux CLI commands with interactive tables.', examples: ['/flux get ks -A'] },
];

/** What this version of Fluxline runs; the others parse, and answer that they are not available yet. */
export const AVAILABLE: ReadonlySet<CommandKind> = new Set<CommandKind>(['help', 'diff-kustomization', 'history', 'list', 'diff-environment', 'promote', 'rollback']);

function describe(entry: HelpEntry): string {
  return [`*\`${entry.usage}\`*: ${entry.summary}`, ...entry.examples.map((e) => `    e.g. \`${e}\``)].join('\n');
}

/** The grammar with examples; a topic narrows it to one command. */
export function helpText(topic?: string): string {
  const available = ENTRIES.filter((entry) => AVAILABLE.has(entry.kind));
  const chosen = topic ? available.filter((entry) => entry.topic === topic) : available;
  const planned = ENTRIES.filter((entry) => !AVAILABLE.has(entry.kind)).map((entry) => `\`${entry.usage.split(' ').slice(0, 2).join(' ')}\``);
  const notYet = topic && ENTRIES.some((entry) => entry.topic === topic && !AVAILABLE.has(entry.kind));
  const lines = [
    topic && chosen.length === 0 ? (notYet ? `\`/flux ${topic}\` is not in this version yet; here is what is:` : `No help on \`${topic}\`; here is everything:`) : '*Fluxline* — Flux from Slack',
    ...(chosen.length ? chosen : available).map(describe),
    '*`/flux help [COMMAND]`*: this help.',
  ];
  if (!topic && planned.length) lines.push(`_Not in this version yet: ${[...new Set(planned)].join(', ')}._`);
  return lines.join('\n');
}
