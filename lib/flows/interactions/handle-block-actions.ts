import { decodeAction, CommandError } from '../../core/commands';
import { enqueueJob, jobIdFor } from '../jobs';
import { logger } from '../../core/log';
import { ACTIONS, inlineCode, type SlackPort } from '../../adapters/slack';
import { postOnce } from '../effects';
import { authorizePrAction } from './authorize-pr-action';
import { handleFluxAction } from './flux-cli-actions';
import type { RequestFluxCliDeps } from './request-flux-cli';
import { requestDiff, type RequestDiffDeps } from './request-diff';
import { requestPinPolicy, requestPromoteChoice, requestSuspendAutomation, type Day2Deps } from './request-day2';
import type { BlockActions } from './slack-payloads';
import { decideExecutor } from './plan-executor';
import { answerExecutor } from './request-executor';

/**
 * A button or menu option of an executor's answer: its command line is decided exactly as if the user had
 * typed it in this channel (binding, admins, cluster), and it may only run an executor, never a built-in.
 */
async function runExecutorCommand(deps: BlockActionsDeps, click: { command: string; user: string; userName?: string; channel: string; requestKey: string }, tell: (text: string) => Promise<void>): Promise<void> {
  const slash = { command: '/flux', text: click.command, user_id: click.user, ...(click.userName ? { user_name: click.userName } : {}), channel_id: click.channel, trigger_id: click.requestKey };
  let decision;
  try {
    decision = decideExecutor(deps.config, { user: click.user, channel: click.channel, text: click.command });
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    await tell(err.message);
    return;
  }
  if (!decision) {
    await tell('Buttons of an executor run executors only; type the command to run it.');
    return;
  }
  if (decision.kind === 'refused') {
    if (decision.audit) await deps.store.appendAudit(decision.audit);
    await tell(decision.reason);
    return;
  }
  const reply = await answerExecutor(deps, slash, decision.run);
  if (reply.response_type === 'in_channel') await deps.slack.postMessage({ channel: click.channel, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
  else await tell(reply.text);
}

export interface BlockActionsDeps extends RequestDiffDeps, RequestFluxCliDeps, Pick<Day2Deps, 'config' | 'store' | 'queue' | 'slack'> {
  slack: SlackPort;
}

/**
 * Button clicks. Slack only needs a 200 within 3 s; what the user sees comes as messages: a "queued"
 * reply in the PR's thread (which the worker later replaces with the report) or an ephemeral refusal.
 */
export async function handleBlockActions(deps: BlockActionsDeps, payload: BlockActions): Promise<void> {
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  const messageTs = payload.container?.message_ts ?? payload.message?.ts;
  const threadTs = payload.container?.thread_ts ?? payload.message?.thread_ts ?? messageTs;
  const user = payload.user.id;
  const userName = payload.user.username ?? payload.user.name;
  if (!channel) {
    logger.warn('block action without a channel ignored', { user });
    return;
  }
  const tell = (text: string) => deps.slack.postEphemeral({ channel, user, text, ...(threadTs ? { threadTs } : {}) });

  for (const action of payload.actions) {
    // Link buttons (View PR) also send an action; there is nothing to do for them.
    if (action.action_id.startsWith(ACTIONS.viewPr)) continue;
    let decoded;
    try {
      decoded = decodeAction(action.value ?? action.selected_option?.value ?? '');
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      await tell(`That button is not one Fluxline understands (${err.message}). Re-run the command to get fresh buttons.`);
      continue;
    }
    // A double click (or two people at once) is one click, however fast the first one's job finishes.
    const click = await deps.store.claimClick({ channel, messageTs: messageTs ?? '', actionId: action.action_id, value: action.value ?? action.selected_option?.value ?? '', actionTs: action.action_ts, user });
    if (!click.claimed) {
      if (click.by !== user) await tell(`<@${click.by}> clicked this a moment ago: it is already queued or running, and runs once.`);
      else logger.info('double click ignored', { actionId: action.action_id });
      continue;
    }
    // The request key is the click itself: Slack retries it with the same action_ts.
    const requestKey = `click:${messageTs ?? ''}:${action.action_id}:${action.action_ts}:${user}`;

    if (decoded.type === 'flux-diff') {
      const result = await requestDiff(deps, { requestKey, user, ...(userName ? { userName } : {}), channel, ...(threadTs ? { threadTs } : {}), repository: decoded.repository, number: decoded.number, kustomization: decoded.kustomization, cluster: decoded.cluster });
      if (result.status === 'queued') {
        if (result.created) {
          await postOnce({ store: deps.store, slack: deps.slack }, `queued:${result.job.id}`, { channel, ...(threadTs ? { threadTs } : {}), text: `:hourglass_flowing_sand: Diff of ${inlineCode(decoded.kustomization)} on ${inlineCode(decoded.cluster)} queued by <@${user}>.` });
        }
      } else if (result.status === 'already-running') {
        await tell(`That diff is already queued or running; its report will appear in this thread.`);
      } else {
        await tell(result.reason);
      }
    } else if (decoded.type === 'post-diff' || decoded.type === 'approve') {
      const kind = decoded.type;
      const decision = await authorizePrAction(deps, { kind, jobId: decoded.jobId, user, channel });
      if (!decision.allowed) {
        if (decision.audit) await deps.store.appendAudit(decision.audit);
        await tell(decision.reason);
        continue;
      }
      const { source } = decision;
      const now = new Date().toISOString();
      const { created } = await enqueueJob(
        { store: deps.store, queue: deps.queue },
        {
          id: jobIdFor({ source: 'slack', key: requestKey }),
          kind,
          status: 'queued',
          requester: { user, ...(userName ? { name: userName } : {}), channel, ...(threadTs ? { threadTs } : {}) },
          inputs: { diffJobId: decoded.jobId },
          ...(source.subject ? { subject: source.subject } : {}),
          createdAt: now,
          updatedAt: now,
          attempts: 0,
        },
      );
      if (!created) logger.info('repeated click ignored', { kind, requestKey });
    } else if (decoded.type === 'flux-row' || decoded.type === 'flux-item' || decoded.type === 'flux-run') {
      const replyThreadTs = payload.container?.thread_ts ?? payload.message?.thread_ts;
      await handleFluxAction(deps, decoded, {
        user,
        ...(userName ? { userName } : {}),
        channel,
        ...(messageTs ? { messageTs } : {}),
        ...(replyThreadTs ? { replyThreadTs } : {}),
        requestKey,
        tell: (text) => deps.slack.postEphemeral({ channel, user, text }),
      });
    } else if (decoded.type === 'promote-choice') {
      const { refused } = await requestPromoteChoice(deps, { jobId: decoded.jobId, choice: decoded.choice, user, ...(userName ? { userName } : {}), channel, requestKey });
      if (refused) await tell(refused);
    } else if (decoded.type === 'suspend-automation') {
      const { refused } = await requestSuspendAutomation(deps, { jobId: decoded.jobId, automation: decoded.automation, user, ...(userName ? { userName } : {}), channel, requestKey });
      if (refused) await tell(refused);
    } else if (decoded.type === 'pin-policy') {
      const { refused } = await requestPinPolicy(deps, { jobId: decoded.jobId, marker: decoded.marker, user, ...(userName ? { userName } : {}), channel, requestKey });
      if (refused) await tell(refused);
    } else if (decoded.type === 'run-command') {
      await runExecutorCommand(deps, { command: decoded.command, user, ...(userName ? { userName } : {}), channel, requestKey }, tell);
    } else {
      await tell('That action is not available in this version of Fluxline yet.');
    }
  }
}
