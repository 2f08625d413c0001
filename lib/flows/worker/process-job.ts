import { approveFromDiff, executeDiffJob, postDiffToPullRequest, reportDiffJob, requesterOnGithub, type DiffJobDeps, type PrActionDeps } from '../diffs';
import { auditJobOutcome, DEPLOYMENT_STATUS_JOB, executeDeploymentStatusJob } from '../deploys';
import { executeFluxCliJob, FLUX_CLI_JOB, reportFluxCliJob, type FluxCliJobDeps } from '../flux-cli';
import { runJob } from '../jobs';
import { EXECUTOR_JOB, executeExecutorJob, reportExecutorJob, type ExecutorJobDeps } from '../executors';
import { onceSlack, settleAll, type ReportRun } from '../effects';
import { logger } from '../../core/log';
import { executePinPolicyJob, executePromoteJob, executeSuspendAutomationJob, PROMOTE_JOB_KINDS, reportPinPolicyJob, reportPromoteJob, reportSuspendAutomationJob, type PromoteJobDeps } from '../promote';
import { executeEnvironmentDiffJob, executeListJob, reportVersionsJob, VERSIONS_JOB_KINDS, type VersionsJobDeps } from '../versions';
import type { JobRecord, Store } from '../../adapters/store';
import { escapeMrkdwn } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';

/** What the worker's jobs need, each kind's own `*Deps` together: the composition root hands exactly this. */
export type WorkerDeps = DiffJobDeps & PrActionDeps & VersionsJobDeps & PromoteJobDeps & FluxCliJobDeps & ExecutorJobDeps & { store: Store };

/**
 * Runs one queued job by its kind and tells the requester how it went, failures included. Called by
 * the SQS worker in AWS and by the in-process queue locally.
 */
export async function processJob(deps: WorkerDeps, jobId: string): Promise<void> {
  logger.appendKeys({ jobId });
  const prepared = prepareGithubDuringClaim(deps);
  try {
    const result = await runJob(
      { store: deps.store },
      jobId,
      async (job: JobRecord) => {
        switch (job.kind) {
          case 'diff':
            return executeDiffJob(deps, job);
          case 'post-diff': {
            const comment = await postDiffToPullRequest(deps, String(job.inputs.diffJobId), { user: job.requester.user, onGithub: requesterOnGithub(job.requester) });
            return { outcome: { ...comment } };
          }
          case 'approve': {
            const review = await approveFromDiff(deps, String(job.inputs.diffJobId), requesterOnGithub(job.requester));
            return { outcome: { ...review } };
          }
          case VERSIONS_JOB_KINDS.list:
            return executeListJob(deps, job);
          case VERSIONS_JOB_KINDS.environmentDiff:
            return executeEnvironmentDiffJob(deps, job);
          case PROMOTE_JOB_KINDS.promote:
          case PROMOTE_JOB_KINDS.rollback:
            return executePromoteJob(deps, job);
          case PROMOTE_JOB_KINDS.suspendAutomation:
            return executeSuspendAutomationJob(deps, job);
          case PROMOTE_JOB_KINDS.pinPolicy:
            return executePinPolicyJob(deps, job);
          case FLUX_CLI_JOB:
            return executeFluxCliJob(deps, job);
          case DEPLOYMENT_STATUS_JOB:
            return executeDeploymentStatusJob(deps, job);
          case EXECUTOR_JOB:
            return executeExecutorJob(deps, job);
          default:
            throw new Error(`job kind ${job.kind} is not handled by this worker version`);
        }
      },
      // The audit entry and the report are separate effects, made at the same time: neither reads the other,
      // the audit may repeat when a report runs again but is never missing (auditJobOutcome), and the report's
      // posts are each made once whatever ran before a crash. settleAll waits for both before it fails.
      async (job: JobRecord, run: ReportRun) => {
        // Flux asked, not a person: the deployment's history shows what the status read found.
        if (job.kind === DEPLOYMENT_STATUS_JOB) return auditJobOutcome(deps.store, job);
        await settleAll([auditJobOutcome(deps.store, job), tellRequester(deps, job, run)]);
      },
    );
    logger.info('job processed', { result });
  } finally {
    await prepared;
    logger.removeKeys(['jobId']);
  }
}

/**
 * The GitHub App's key parsed and its JWT signed while the job's claim is on its way to DynamoDB and back,
 * a round trip the worker otherwise idles through; in a new container that is ~8 ms the job's first GitHub
 * call no longer waits for (issue #20). Local work only, nothing is sent before the claim is held; it starts
 * on the next turn of the event loop, once the claim's request is written. A failure (no key in a worker
 * that needs none) is the first GitHub call's to tell.
 */
async function prepareGithubDuringClaim(deps: Pick<WorkerDeps, 'github'>): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  try {
    await (await deps.github()).prepare();
  } catch (err) {
    logger.debug('GitHub App not prepared ahead of the job; its first GitHub call says why', { error: err as Error });
  }
}

/** Tells the requester how the job went, in its kind's words, each post made once (DESIGN §3) within the report's run. */
async function tellRequester(deps: WorkerDeps, job: JobRecord, run: ReportRun): Promise<void> {
  const slack = onceSlack({ store: deps.store, slack: deps.slack }, `job:${job.id}`, run);
  const reportDeps = { ...deps, slack };
  const where = { channel: job.requester.channel, ...(job.requester.threadTs ? { threadTs: job.requester.threadTs } : {}) };
  if (job.kind === 'diff') return reportDiffJob(reportDeps, job);
  if (job.kind === VERSIONS_JOB_KINDS.list || job.kind === VERSIONS_JOB_KINDS.environmentDiff) return reportVersionsJob(reportDeps, job);
  if (job.kind === PROMOTE_JOB_KINDS.promote || job.kind === PROMOTE_JOB_KINDS.rollback) return reportPromoteJob(reportDeps, job);
  if (job.kind === PROMOTE_JOB_KINDS.suspendAutomation) return reportSuspendAutomationJob(reportDeps, job);
  if (job.kind === PROMOTE_JOB_KINDS.pinPolicy) return reportPinPolicyJob(reportDeps, job);
  if (job.kind === FLUX_CLI_JOB) return reportFluxCliJob(reportDeps, job);
  if (job.kind === EXECUTOR_JOB) return reportExecutorJob(reportDeps, job);
  const failed = job.status === 'failed';
  const url = typeof job.outcome?.url === 'string' ? job.outcome.url : '';
  // GitHub's error messages quote what it was sent and what it found: outside text, masked and escaped.
  const error = escapeMrkdwn(maskSecrets(job.error ?? 'unknown error'));
  const text =
    job.kind === 'post-diff'
      ? failed
        ? `:x: Could not post the diff to the PR: ${error}`
        : `:memo: Diff ${job.outcome?.created ? 'posted to' : 'updated on'} the PR: ${url}`
      : failed
        ? `:x: Could not approve the PR: ${error}`
        : `:white_check_mark: <@${job.requester.user}> approved the PR: ${url}`;
  await slack.postMessage({ ...where, text });
}
