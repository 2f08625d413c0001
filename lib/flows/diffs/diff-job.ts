import * as z from '../../core/validation';
import { impersonationSchema, type JobExecution } from '../jobs';
import { findRepositoryRule, guardedFlags, type Config } from '../../core/config';
import { riskFlags } from './risk-flags';
import { mayDiffFork } from '../interactions';
import { escapeCode, escapeMrkdwn, inlineCode, type SlackPort } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import type { JobRecord, Store } from '../../adapters/store';
import { diffFailureHint } from './failure-message';
import { requestedBy } from './requester';
import { diffReportMessage } from './report-message';
import { DiffFailed } from './errors';
import type { DiffOutcome } from '../../adapters/flux';
import { runDiff, type DiffDeps, type DiffRun } from './run-diff';
import { storedDiffOutcome } from './stored-outcome';
import { completeDiffCheckRun, type CheckRunDeps, type DiffCheckResult } from './check-run';
import { bestEffort, startDiffCheckRun, supersedeJobCheckRun } from '../checks';
import { logger } from '../../core/log';
import { GithubError } from '../../adapters/github';
import { settleAll } from '../effects';

export const diffInputsSchema = z.object({
  repository: z.string(),
  number: z.int().check(z.positive()),
  kustomization: z.string(),
  cluster: z.string(),
  impersonate: z.optional(impersonationSchema),
  /** The PR's head when the job was queued: its check run was made `queued` there. */
  headSha: z.optional(z.string()),
});

export interface DiffJobDeps extends DiffDeps {
  store: Store;
  slack: SlackPort;
  config: Config;
}

/**
 * Runs a queued diff job and stores its report, so the Post/Approve buttons work after any restart.
 * A flux error outcome or a failure before flux ran is stored too (its kind picks the hint shown in
 * Slack) and then thrown, so the job ends `failed`.
 */
export async function executeDiffJob(deps: DiffJobDeps, job: JobRecord): Promise<JobExecution> {
  const inputs = diffInputsSchema.parse(job.inputs);
  const policy = findRepositoryRule(deps.config.repositories, inputs.repository)?.pullRequests.forks ?? 'notify-only';
  const fork = mayDiffFork(deps.config, policy, job.requester.user);
  // The PR's coverage across all its targets, as its notice found it; unreadable, the diff judges coverage alone.
  // Read while the diff runs (issue #20): it is needed only once the checkout's changed files are judged.
  const notice = deps.store.getNotice(inputs.repository, inputs.number).catch(() => undefined);
  const prCoverage = notice.then((found) => (found?.readByTargets ? { headSha: found.headSha, readByTargets: found.readByTargets } : undefined));
  // How large the notice found the repository: a small one's tarball starts without a tree listing first.
  const repositoryBytes = notice.then((found) => found?.repositoryBytes);
  // The installation its delivery came from: the PR is read as it, without asking GitHub which one first.
  const installationId = notice.then((found) => found?.installationId);
  let run: DiffRun;
  // The report is masked once, here: the Slack report, its uploaded file and the PR comment are all built from it.
  // Stored as soon as flux diff has answered, while flux build shows the created objects (issue #20).
  let stored: Promise<unknown> | undefined;
  const onDiffed = ({ report, outcome, summary, headSha }: { report: string; outcome: DiffOutcome; summary?: { counts: object }; headSha: string }) =>
    (stored = deps.store.putJobResult(job.id, maskSecrets(report), { outcome: outcome.kind, headSha, ...(summary?.counts ?? {}) }));
  try {
    const onFluxStart = async ({ headSha }: { headSha: string }) => startCheckRun(deps, job.id, inputs, headSha);
    run = await runDiff(deps, { jobId: job.id, ...inputs, mayDiffFork: fork.allowed, ...(fork.allowed ? {} : { forkRefusal: fork.reason }), prCoverage, repositoryBytes, installationId, onFluxStart, onDiffed });
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    // A result stored before the failure lands first, so the error's is the one kept.
    await stored?.catch(() => undefined);
    // Masked at the source: what is stored is what Slack, GitHub and the logs may later be shown.
    await deps.store.putJobResult(job.id, maskSecrets(error.message), { outcome: 'error', errorName: error.name });
    throw error;
  }
  const counts = run.summary?.counts;
  // Read from the whole report before it is cut to fit the store; every place that shows them reads these.
  const flags = run.summary ? riskFlags(run.summary, { protectedNamespaces: deps.config.policy.protectedNamespaces }) : [];
  const needsAdmin = guardedFlags(deps.config.policy, inputs);
  const guarded = flags.filter((flag) => needsAdmin.has(flag.id)).map((flag) => flag.id);
  // Keeping the checkout for the next diff (~25-50 ms of file-system work in libuv's pool) needs nothing of the
  // job's ending: it settles while the ending and the report are written, and runJob awaits it before the
  // handler returns (issue #20). It never rejects.
  const settling = run.disposed ?? Promise.resolve();
  try {
    await (run.stored ?? onDiffed({ report: run.report, outcome: run.outcome, ...(run.summary ? { summary: run.summary } : {}), headSha: run.pr.headSha }));
  } catch (err) {
    await settling;
    throw err;
  }
  if (!['changes', 'no-changes'].includes(run.outcome.kind)) {
    await settling;
    throw new DiffFailed(run.outcome);
  }
  return {
    settling,
    outcome: {
      result: run.outcome.kind,
      headSha: run.pr.headSha,
      url: run.pr.url,
      path: run.path,
      title: run.pr.title,
      repository: run.pr.repository,
      number: run.pr.number,
      ...(counts ? { counts } : {}),
      flags,
      guarded,
      durationMs: run.durationMs,
      // What was compared with what, and the warnings Approve carries: the buttons read them from here.
      ...run.context,
      // Masked with the report's masks: the PR comment, the check run and Slack show it.
      ...(run.created.length > 0 ? { created: run.created.map((c) => ({ object: c.object, yaml: maskSecrets(c.yaml) })) } : {}),
    },
  };
}

type DiffInputs = z.infer<typeof diffInputsSchema>;

/**
 * `in_progress` on the SHA flux is about to diff. When the PR moved on after the job was queued, the run
 * made at queue time is superseded and this job's run is on the new head. Never fatal to the diff.
 */
async function startCheckRun(deps: Pick<DiffJobDeps, 'store' | 'github'>, jobId: string, inputs: DiffInputs, headSha: string): Promise<void> {
  const target = { jobId, repository: inputs.repository, cluster: inputs.cluster, kustomization: inputs.kustomization, headSha };
  await bestEffort('mark it in progress', { jobId, headSha }, async () => {
    if (inputs.headSha && inputs.headSha !== headSha) await supersedeJobCheckRun(deps, { ...target, headSha: inputs.headSha }, headSha);
    await startDiffCheckRun(deps, target);
  });
}

/** Posts the job's outcome in the PR's thread (or the requesting channel): the report, or what failed and what to check. */
export async function reportDiffJob(deps: Pick<DiffJobDeps, 'store' | 'slack'> & Partial<Pick<CheckRunDeps, 'github'>>, job: JobRecord): Promise<void> {
  // Two effects, each with its own ledger entry, made at the same time: the check run does not read the Slack
  // report, and a crash after either leaves the other to the report's next run, which finds the one made.
  await settleAll([reportToSlack(deps, job), ...(deps.github ? [reportCheckRun({ store: deps.store, github: deps.github }, job)] : [])]);
}

/**
 * The check run on the diffed head SHA. A GitHub that refuses it (no `checks: write` yet) must not cost
 * the Slack report, which is already out: logged with what to fix, and the job still succeeds.
 */
async function reportCheckRun(deps: CheckRunDeps & { store: Pick<Store, 'getJobResult'> }, job: JobRecord): Promise<void> {
  const inputs = diffInputsSchema.parse(job.inputs);
  const stored = await deps.store.getJobResult(job.id);
  const outcome = storedDiffOutcome(job.outcome);
  // A diff that failed before it read the PR (cluster unreachable) ends the run made when it was queued;
  // one queued without a SHA (a typed command) that failed so early has no check run at all.
  const headSha = outcome.headSha ?? (typeof stored?.summary?.headSha === 'string' ? stored.summary.headSha : undefined) ?? inputs.headSha;
  if (!headSha) return;
  const target = { jobId: job.id, repository: inputs.repository, headSha, cluster: inputs.cluster, kustomization: inputs.kustomization };
  const result: DiffCheckResult =
    job.status === 'failed'
      ? { kind: 'failed', error: job.error ?? 'unknown error', hint: failureHintOf(stored?.summary) }
      : { kind: outcome.result === 'changes' ? 'changes' : 'no-changes', report: stored?.text ?? '', outcome };
  try {
    if (inputs.headSha && inputs.headSha !== headSha) await supersedeJobCheckRun(deps, { ...target, headSha: inputs.headSha }, headSha);
    await completeDiffCheckRun(deps, target, result);
  } catch (err) {
    // A refusal (403 without the permission, 422) will not change on retry; anything else (5xx, a lost
    // answer) is thrown, so the report runs again and the ledger finds the run made before.
    if (!(err instanceof GithubError)) throw err;
    logger.warn('check run refused by GitHub', { jobId: job.id, error: err.message });
  }
}

function failureHintOf(summary: Record<string, unknown> | undefined): string {
  const { outcome: kind, errorName } = summary ?? {};
  return diffFailureHint(typeof kind === 'string' && kind !== 'error' ? ({ kind } as DiffOutcome) : { kind: 'error', name: typeof errorName === 'string' ? errorName : 'Error' });
}

async function reportToSlack(deps: Pick<DiffJobDeps, 'store' | 'slack'>, job: JobRecord): Promise<void> {
  const inputs = diffInputsSchema.parse(job.inputs);
  const where = { channel: job.requester.channel, ...(job.requester.threadTs ? { threadTs: job.requester.threadTs } : {}) };
  const label = `${inlineCode(inputs.kustomization)} on ${inlineCode(inputs.cluster)} for ${escapeMrkdwn(inputs.repository)}#${inputs.number}`;
  const stored = await deps.store.getJobResult(job.id);
  if (job.status === 'failed') {
    const { outcome: kind, errorName } = stored?.summary ?? {};
    const hint = diffFailureHint(typeof kind === 'string' && kind !== 'error' ? ({ kind } as DiffOutcome) : { kind: 'error', name: typeof errorName === 'string' ? errorName : 'Error' });
    // flux's stderr and error messages are outside text: masked, then escaped (Slack reads `<!channel>` even inside ```).
    const message = maskSecrets(job.error ?? 'unknown error');
    await deps.slack.postMessage({
      ...where,
      text: `:x: Diff of ${label} failed: ${escapeMrkdwn(message)}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `:x: *Diff of ${label} failed*\n\`\`\`${escapeCode(message.slice(0, 2500))}\`\`\`` } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `What to check: ${hint} · job \`${job.id}\` · requested by ${requestedBy(job.requester.user)}` }] },
      ],
    });
    return;
  }
  const outcome = storedDiffOutcome(job.outcome);
  const message = diffReportMessage(
    { jobId: job.id, kustomization: inputs.kustomization, cluster: inputs.cluster, requester: job.requester.user },
    {
      result: outcome.result === 'changes' ? 'changes' : 'no-changes',
      report: stored?.text ?? '',
      pr: { url: outcome.url ?? '', repository: inputs.repository, number: inputs.number, headSha: outcome.headSha ?? '' },
      context: outcome,
    },
  );
  await deps.slack.postMessage({ ...where, text: message.text, blocks: message.blocks });
  if (message.upload) await deps.slack.uploadFile({ ...where, ...message.upload, initialComment: message.text });
}
