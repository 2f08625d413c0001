import type * as z from '../validation';
import type { ExecutorMeta } from './builtin-meta';
import type { ExecutorMessage } from './message';

/**
 * The executor contract (issue #19): every chat command a team adds is one of these. The metadata
 * (ExecutorMeta: name, version, description, mutating, needsCluster) is all the Slack ingress needs to route
 * and authorize; the config schema and `help` are read by the consumers and the config loader; `execute` is
 * attached where the executor's dependencies are (lib/flows/executors).
 */
export interface ExecutorSpec<Config = unknown> extends ExecutorMeta {
  /** Validates each bound configuration at load (every bad key named by its path). */
  readonly configSchema: z.ZodMiniType<Config>;
  /** What `/flux help <name>` shows; may use the channel's configurations (e.g. to list what is allowed). */
  help(configs: readonly Config[]): ExecutorMessage;
}

export interface ExecutorInput<Config = unknown, Cluster = never> {
  /** The words after the executor's name, tokenized like every command (quotes kept together). */
  args: readonly string[];
  /** The configurations of this executor bound to the channel, in binding order (as Botkube passes them). */
  configs: readonly Config[];
  /** The Slack user id of whoever asked. */
  requester: string;
  /** The channel it was asked in. */
  channel: string;
  /** When `needsCluster`: the cluster's name and access, with the channel binding's impersonation applied. */
  cluster?: Cluster;
}

export interface Executor<Config = unknown, Cluster = never> extends ExecutorSpec<Config> {
  /** Throws ExecutorRefusal for a request it will not run (shown in plain words); any other error is a failure. */
  execute(input: ExecutorInput<Config, Cluster>): Promise<ExecutorMessage>;
}
