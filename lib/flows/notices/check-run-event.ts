import * as z from '../../core/validation';
import { firstIssue } from '../../core/validation';
import { MalformedRequest } from '../../core/http';
import { findRepositoryRule } from '../../core/config';
import { logger } from '../../core/log';
import { contextMessage, escapeMrkdwn, inlineCode } from '../../adapters/slack';
import { parseCheckRunName, RUN_FLUX_DIFF_ACTION } from '../checks';
// The module, not the diffs barrel: the deliveries consumer needs the requester's name, not the diff runner.
import { githubRequester } from '../diffs/requester';
import { requestDiff } from '../interactions';
import { postOnce } from '../effects';
import type { NoticeDeps } from './handle-pull-request';

/** The part of GitHub's `check_run` payload a re-run reads; the target is the run's name, authorized like a button. */
export const checkRunEventSchema = z.object({
  action: z.string(),
  check_run: z.object({
    name: z.string(),
    head_sha: z.string(),
    external_id: z.optional(z.nullable(z.string())),
    app: z.object({ id: z.int() }),
    pull_requests: z.optional(z.array(z.object({ number: z.int().check(z.positive()) }))),
  }),
  requested_action: z.optional(z.object({ identifier: z.string() })),
  repository: z.object({ full_name: z.string() }),
  sender: z.optional(z.object({ login: z.string() })),
});

export type CheckRunEvent = z.infer<typeof checkRunEventSchema>;

export type RerunOutcome = 'queued' | 'already-queued' | 'already-running' | 'refused' | 'no-pull-request';

/** Reads a verified check_run delivery; throws MalformedRequest when it is not one. */
export function readCheckRunEvent(payload: unknown): CheckRunEvent {
  const parsed = checkRunEventSchema.safeParse(payload);
  if (!parsed.success) throw new MalformedRequest(`not a check_run payload: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

/**
 * Why this check_run event asks nothing of Fluxline, if it does not: a run of another App (GitHub sends
 * every App subscribed to `check_run` the events of all runs on the repository, and only Fluxline's runs
 * may start Fluxline's diffs), another action or button, or a name that is not one of ours.
 */
export function checkRunIgnoreReason(event: CheckRunEvent, appId: string): string | undefined {
  if (String(event.check_run.app.id) !== appId) return `check run of another GitHub App (${event.check_run.app.id})`;
  if (event.action === 'requested_action' && event.requested_action?.identifier !== RUN_FLUX_DIFF_ACTION.identifier) return `requested action ${event.requested_action?.identifier ?? '(none)'} is not Fluxline's`;
  if (event.action !== 'rerequested' && event.action !== 'requested_action') return `check_run.${event.action} is not handled`;
  if (!parseCheckRunName(event.check_run.name)) return `check run ${event.check_run.name} is not a Fluxline diff`;
  return undefined;
}

/** The PR the run belongs to: its job's, found by `external_id` (GitHub lists no PR for a fork's run), else the one GitHub lists. */
async function pullRequestOf(deps: Pick<NoticeDeps, 'store'>, event: CheckRunEvent): Promise<number | undefined> {
  const jobId = event.check_run.external_id;
  const job = jobId ? await deps.store.getJob(jobId).catch(() => undefined) : undefined;
  const inputs = job?.kind === 'diff' ? job.inputs : undefined;
  if (inputs && String(inputs.repository).toLowerCase() === event.repository.full_name.toLowerCase() && Number.isSafeInteger(inputs.number)) return Number(inputs.number);
  return event.check_run.pull_requests?.[0]?.number;
}

/**
 * *Re-run* (`check_run.rerequested`) or *Run flux diff* (`requested_action`) on one of Fluxline's runs: the
 * same diff job as the Slack button, authorized and deduped the same way (one active diff per target and
 * head), reported in the PR's Slack thread, which first hears who asked for it on GitHub.
 */
export async function rerunFromGithub(deps: NoticeDeps, deliveryId: string, event: CheckRunEvent): Promise<RerunOutcome> {
  const target = parseCheckRunName(event.check_run.name);
  const number = target ? await pullRequestOf(deps, event) : undefined;
  if (!target || number === undefined) {
    logger.warn('check run re-run for no pull request: nothing to diff', { name: event.check_run.name, headSha: event.check_run.head_sha });
    return 'no-pull-request';
  }
  const repository = event.repository.full_name;
  const notice = await deps.store.getNotice(repository, number);
  const rule = findRepositoryRule(deps.config.repositories, repository);
  const channel = notice?.channel ?? rule?.channel ?? deps.config.slack.channel;
  const threadTs = notice?.ts || undefined;
  const login = event.sender?.login ?? 'someone';
  const how = event.action === 'rerequested' ? 'Re-run' : RUN_FLUX_DIFF_ACTION.label;
  const what = `${inlineCode(target.kustomization)} on ${inlineCode(target.cluster)}`;
  const asked = `:arrows_counterclockwise: ${escapeMrkdwn(login)} asked for the diff of ${what} on GitHub (${how}, \`${event.check_run.head_sha.slice(0, 7)}\`)`;

  const closed = notice && (notice.state === 'merged' || notice.state === 'closed');
  const result = closed
    ? ({ status: 'refused', reason: `${escapeMrkdwn(repository)}#${number} is ${notice.state}` } as const)
    : await requestDiff(deps, { requestKey: `github:${deliveryId}`, user: githubRequester(login), userName: login, channel, ...(threadTs ? { threadTs } : {}), repository, number, ...target });
  const [line, outcome]: [string, RerunOutcome] =
    result.status === 'queued'
      ? [`${asked}: queued, the report follows here.`, result.created ? 'queued' : 'already-queued']
      : result.status === 'already-running'
        ? [`${asked}: a diff of it is already queued or running (job \`${result.jobId}\`); its report follows here.`, 'already-running']
        : [`${asked}: not run, ${result.reason}`, 'refused'];
  // One message per delivery, however often GitHub or the queue delivers it.
  await postOnce(deps, `checkrun:${deliveryId}`, contextMessage(channel, threadTs, [line]));
  return outcome;
}
