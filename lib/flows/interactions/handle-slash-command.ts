import { inlineCode } from '../../adapters/slack/mrkdwn';
import type { SlackExecutorDeps } from './builtin-executors';
import type { SlackExecutors } from './slack-executor';
import { planSlashCommand, refusalAuditId, type SlackReply } from './plan-slash-command';
import type { SlashCommand } from './slack-payloads';

export type SlashCommandDeps = SlackExecutorDeps & {
  /** The executors this consumer runs, built-ins included (slackExecutors, built at the composition root). */
  executors: SlackExecutors;
};

/**
 * The queue consumer's half of a slash command (the ingress answered what config alone could): it plans and
 * authorizes again with the config it has, then the executor the command names does the work. Returns the
 * reply for the user's response_url, or null when a message in the channel (a "running…" message the worker
 * replaces) is the answer.
 */
export async function handleSlashCommand(deps: SlashCommandDeps, slash: SlashCommand): Promise<SlackReply | null> {
  // The metadata of the executors it runs is the registry's own, so what runs is what was authorized.
  const plan = planSlashCommand(deps.config, slash, deps.executors);
  if (plan.kind === 'answer') {
    if (plan.audit) await deps.store.appendAudit(plan.audit, undefined, refusalAuditId(slash.trigger_id));
    return plan.reply;
  }
  const { run } = plan.work;
  const executor = deps.executors(run.executor);
  if (!executor) return { response_type: 'ephemeral', text: `${inlineCode(run.executor)} is not an executor of this version of Fluxline.` };
  return executor.execute(slash, run);
}
