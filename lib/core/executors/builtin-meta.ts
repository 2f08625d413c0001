/**
 * The one registry of built-in executors (issue #19): the grammar's commands (help, list, diff, history,
 * promote, rollback and the flux CLI verbs) and the configurable ones (echo, kubectl), with what the
 * dispatcher needs to route and authorize them and what `/flux help` shows. Plain data, so the Slack ingress
 * (≤ 150 KB, README "Benchmark") decides and answers help with it; the config schemas, `help()` messages
 * and `execute` are attached where their code is (catalog.ts, lib/flows/interactions/builtin-executors.ts).
 */
export interface ExecutorMeta {
  /** The first word of `/flux …` that runs it, and the `use:` of its configurations. */
  readonly name: string;
  readonly version: string;
  /** One line, shown by `/flux help`. */
  readonly description: string;
  /** Changes something: only admins may run it, and each run writes an audit line. */
  readonly mutating: boolean;
  /**
   * Whether it runs on a cluster: the dispatcher holds every cluster it acts on to the channel's binding, and
   * a configured executor gets `input.cluster` (`--cluster C`, else the channel's only one) with the binding's
   * identity, as the flux commands do; it then runs in the worker, which holds the cluster access.
   */
  readonly needsCluster: boolean;
}

/** One form of a built-in, as `/flux help` shows it: the grammar, what it does, examples. */
export interface HelpEntry {
  readonly usage: string;
  readonly summary: string;
  readonly examples: readonly string[];
}

export interface BuiltinMeta extends ExecutorMeta {
  /** Its forms, as `/flux help` shows them. Empty for echo and kubectl, whose help depends on the channel's configurations. */
  readonly forms: readonly HelpEntry[];
}

/** The built-in executors config.yaml may `use:`: bound only to the channels that list a configuration of them. */
export const BUILTIN_EXECUTORS = ['echo', 'kubectl'] as const;
export type BuiltinExecutorName = (typeof BUILTIN_EXECUTORS)[number];

/** The built-ins of the grammar, bound to every channel. */
export const GRAMMAR_BUILTINS = ['help', 'diff', 'list', 'promote', 'rollback', 'history', 'get', 'reconcile', 'suspend', 'resume', 'tree', 'events'] as const;
export type GrammarBuiltinName = (typeof GRAMMAR_BUILTINS)[number];

const entry = (usage: string, summary: string, ...examples: string[]): HelpEntry => ({ usage, summary, examples });

const FLUX_CLI_HELP = [
  entry(
    '/flux get|reconcile|suspend|resume|tree|events …',
    'Flux CLI commands, run on the cluster by the worker: `get kustomizations|helmreleases|sources git|helm|oci [NAME] [-n NS | -A]`, `reconcile ks|hr|source git NAME [--with-source]`, `suspend|resume ks|hr NAME`, `tree ks NAME`, `events [--for Kind/NAME]`; each takes `--cluster C`. Tables come with a menu of their rows; choose one to reconcile, suspend or resume it (admins) or see its events.',
    '/flux get ks -A',
    '/flux get hr podinfo -n podinfo --cluster prod',
    '/flux reconcile ks apps --with-source',
    '/flux suspend hr podinfo -n podinfo',
    '/flux tree ks flux-system',
    '/flux events --for Kustomization/apps',
  ),
];

const builtin = (name: string, mutating: boolean, needsCluster: boolean, forms: readonly HelpEntry[], description = forms[0]?.summary ?? ''): BuiltinMeta => ({ name, version: '1.0.0', description, mutating, needsCluster, forms });
const fluxCli = (name: string, mutating: boolean) => builtin(name, mutating, true, FLUX_CLI_HELP, `\`flux ${name}\` on a cluster.`);

/** Every built-in, in the order `/flux help` lists them. */
export const BUILTINS = {
  diff: builtin('diff', false, true, [
    entry(
      '/flux diff ks NAME --github-ref <PR number|PR URL|branch> [--cluster C] [-n NS]',
      "`flux diff kustomization` of a PR's code against the live cluster; the report lands in the channel with Post diff to PR, Approve PR and View PR.",
      '/flux diff ks apps --github-ref 42',
      '/flux diff ks flux-system/apps --github-ref https://github.com/acme/fleet/pull/42 --cluster stage',
    ),
    entry('/flux diff ENV', 'apps whose version on ENV differs from the other clusters.', '/flux diff prod'),
  ]),
  list: builtin('list', false, true, [entry('/flux list [APP]', 'app versions across clusters.', '/flux list', '/flux list podinfo')]),
  promote: builtin('promote', true, true, [entry('/flux promote APP@VERSION to ENV', 'commit the version to the GitOps repository (admins).', '/flux promote podinfo@6.5.4 to prod')]),
  rollback: builtin('rollback', true, true, [entry('/flux rollback APP on ENV', 'back to the last successful deployment before the current one (admins).', '/flux rollback podinfo on prod')]),
  history: builtin('history', false, false, [
    entry(
      '/flux history APP [on ENV]',
      'what deployed when, newest first: cluster, version, Flux reason, and who (a promote/rollback by someone, else Flux). An environment is a cluster name.',
      '/flux history podinfo',
      '/flux history podinfo on prod',
    ),
  ]),
  get: fluxCli('get', false),
  tree: fluxCli('tree', false),
  events: fluxCli('events', false),
  reconcile: fluxCli('reconcile', true),
  suspend: fluxCli('suspend', true),
  resume: fluxCli('resume', true),
  help: builtin('help', false, false, [entry('/flux help [COMMAND]', 'this help.')]),
  echo: builtin('echo', false, false, [], 'answers with the words it is given.'),
  kubectl: { ...builtin('kubectl', false, true, [], 'read-only kubectl (get, describe, logs, top, api-resources) within the allow-lists of its configuration.'), version: '1.1.0' },
} satisfies Record<GrammarBuiltinName | BuiltinExecutorName, BuiltinMeta>;

export const BUILTIN_METAS: readonly BuiltinMeta[] = Object.values(BUILTINS);
export const ECHO_META: ExecutorMeta = BUILTINS.echo;
export const KUBECTL_META: ExecutorMeta = BUILTINS.kubectl;

/** A built-in by a name from config or chat; own keys only (no `constructor`, `__proto__`). */
export function builtinExecutorMeta(name: string): BuiltinMeta | undefined {
  return Object.hasOwn(BUILTINS, name) ? BUILTINS[name as keyof typeof BUILTINS] : undefined;
}

/** A built-in of the grammar (bound to every channel) by the word typed; own keys only. */
export function grammarBuiltin(name: string): BuiltinMeta | undefined {
  return (GRAMMAR_BUILTINS as readonly string[]).includes(name) ? BUILTINS[name as GrammarBuiltinName] : undefined;
}
