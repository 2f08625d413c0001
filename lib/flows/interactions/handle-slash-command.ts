import { deploymentHistoryText } from '../deploys';
import { planSlashCommand, refusalAuditId, type SlackReply } from './plan-slash-command';
import { requestDay2Command, type Day2Deps } from './request-day2';
import { isAdmin } from './authorize';
import { escapeMrkdwn, inlineCode } from '../../adapters/slack/mrkdwn';
import { requestDiff, type RequestDiffDeps } from './request-diff';
import { answerFluxCliCommand, type RequestFluxCliDeps } from './request-flux-cli';
import type { SlashCommand } from './slack-payloads';
import { answerExecutor, executorHelp } from './request-executor';

const ephemeral = (text: string): SlackReply => ({ response_type: 'ephemeral', text });

export type SlashCommandDeps = RequestDiffDeps & Day2Deps & RequestFluxCliDeps;

/**
 * The queue consumer's half of a slash command (the ingress answered what config alone could): it decides
 * again with the config it has, then does the work. Returns the reply for the user's response_url, or null
 * when a message in the channel (a "running…" message the worker replaces) is the answer.
 */
export async function handleSlashCommand(deps: SlashCommandDeps, slash: SlashCommand): Promise<SlackReply | null> {
  const plan = planSlashCommand(deps.config, slash);
  if (plan.kind === 'answer') {
    if (plan.audit) await deps.store.appendAudit(plan.audit, undefined, refusalAuditId(slash.trigger_id));
    return plan.reply;
  }
  const { work } = plan;
  switch (work.kind) {
    case 'diff': {
      const { repository, number, kustomization, cluster } = work;
      const result = await requestDiff(deps, { requestKey: `command:${slash.trigger_id}`, user: slash.user_id, ...(slash.user_name ? { userName: slash.user_name } : {}), channel: slash.channel_id, ...(slash.thread_ts ? { threadTs: slash.thread_ts } : {}), repository, number, kustomization, cluster, anyKustomization: isAdmin(deps.config, slash.user_id) });
      if (result.status === 'queued') {
        return { response_type: 'in_channel', text: `:hourglass_flowing_sand: Diff of ${inlineCode(kustomization)} on ${inlineCode(cluster)} for ${escapeMrkdwn(repository)}#${number} queued by <@${slash.user_id}>.` };
      }
      if (result.status === 'already-running') return ephemeral(`That diff is already queued or running (job \`${result.jobId}\`); its report will appear here.`);
      return ephemeral(result.reason);
    }
    case 'history':
      return ephemeral(await deploymentHistoryText(deps, work.command));
    case 'day2': {
      const reply = await requestDay2Command(deps, slash, work.command);
      return reply ? ephemeral(reply.text) : null;
    }
    case 'flux-cli':
      return answerFluxCliCommand(deps, slash, work.command);
    case 'executor':
      return answerExecutor(deps, slash, work.run);
    case 'executor-help':
      return executorHelp(deps, work.executor, work.bindings);
  }
}
