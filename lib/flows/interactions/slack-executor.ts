import type { ExecutorMessage, ExecutorMeta } from '../../core/executors';
import type { PlannedRun, SlackReply } from './plan-slash-command';
import type { SlashCommand } from './slack-payloads';

/**
 * An executor as the Slack consumer runs it (issue #19): the contract's metadata, its own help, and `execute`,
 * which gets the run the dispatcher planned and authorized (planSlashCommand) and answers the user, or
 * returns null when a message in the channel (a "running…" message the worker replaces) is the answer.
 */
export interface SlackExecutor extends ExecutorMeta {
  /** `/flux help <name>`, given the `executors:` entries of it bound to the channel (none for a built-in of the grammar). */
  help(bindings: readonly string[]): ExecutorMessage;
  execute(slash: SlashCommand, run: PlannedRun): Promise<SlackReply | null>;
}

/** Looks an executor up by name: every built-in, and the out-of-process executors of config.yaml. */
export type SlackExecutors = (name: string) => SlackExecutor | undefined;

