import type * as z from '../validation';
import type { ExecutorMessage } from './message';

/**
 * The executor contract (issue #19): every chat command a team adds is one of these. The metadata, the
 * config schema and `help` are all the Slack ingress and the config loader need, so they live here, free
 * of any adapter; `execute` is attached where the executor's dependencies are (lib/flows/executors).
 */
export interface ExecutorSpec<Config = unknown> {
  /** The first word of `/flux …` that runs it, and the `use:` of its configurations. */
  readonly name: string;
  readonly version: string;
  /** One line, shown by `/flux help`. */
  readonly description: string;
  /** Validates each bound configuration at load (every bad key named by its path). */
  readonly configSchema: z.ZodMiniType<Config>;
  /** Changes something: only admins may run it, and each run writes an audit line. */
  readonly mutating: boolean;
  /**
   * Whether `input.cluster` is wanted. The dispatcher then picks the cluster (`--cluster C`, else the
   * channel's only one) with the channel binding's rules and identity, as for the flux commands, and the
   * executor runs in the worker, which holds the cluster access.
   */
  readonly needsCluster: boolean;
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
