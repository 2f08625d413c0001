/**
 * What the dispatcher needs of a built-in executor to route and authorize a command: its name and whether
 * it changes things or needs a cluster. Plain data, apart from the config schemas and the help, so the
 * Slack ingress (≤ 150 KB, README "Benchmark") decides with it and leaves the schemas to the consumer.
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
   * Whether `input.cluster` is wanted. The dispatcher then picks the cluster (`--cluster C`, else the
   * channel's only one) with the channel binding's rules and identity, as for the flux commands, and the
   * executor runs in the worker, which holds the cluster access.
   */
  readonly needsCluster: boolean;
}

/** The built-in executors config.yaml may `use:`. */
export const BUILTIN_EXECUTORS = ['echo', 'kubectl'] as const;
export type BuiltinExecutorName = (typeof BUILTIN_EXECUTORS)[number];

export const ECHO_META: ExecutorMeta = { name: 'echo', version: '1.0.0', description: 'answers with the words it is given.', mutating: false, needsCluster: false };

export const KUBECTL_META: ExecutorMeta = {
  name: 'kubectl',
  version: '1.1.0',
  description: 'read-only kubectl (get, describe, logs, top, api-resources) within the allow-lists of its configuration.',
  mutating: false,
  needsCluster: true,
};

const METAS = { echo: ECHO_META, kubectl: KUBECTL_META } satisfies Record<BuiltinExecutorName, ExecutorMeta>;

/** The metadata of a built-in, by a name from config or chat; own keys only (no `constructor`, `__proto__`). */
export function builtinExecutorMeta(name: string): ExecutorMeta | undefined {
  return Object.hasOwn(METAS, name) ? METAS[name as BuiltinExecutorName] : undefined;
}
