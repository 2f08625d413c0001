import { approveFromDiff, executeDiffJob, postDiffToPullRequest, reportDiffJob, requesterOnGithub } from '../diffs';
import { auditJobOutcome } from '../deploys';
import { executeFluxCliJob, FLUX_CLI_JOB, reportFluxCliJob } from '../flux-cli';
import { runJob } from '../jobs';
import { logger } from '../log';
import { executePromoteJob, PROMOTE_JOB_KINDS, reportPromoteJob } from '../promote';
import { executeEnvironmentDiffJob, executeListJob, reportVersionsJob, VERSIONS_JOB_KINDS } from '../versions';
import type { Runtime } from '../runtime';
import type { JobRecord } from '../store';

/**
 * Runs one queued job by its kind and tells the requester how it went, failures included. Called by
 * the SQS worker in AWS and by the in-process queue locally.
 */
export async function processJob(runtime: Runtime, jobId: string): Promise<void> {
  logger.appendKeys({ jobId });
  try {
    const diffDeps = {
      ...runtime,
      fluxBin: runtime.settings.fluxBin,
      fluxPath: runtime.settings.fluxPath,
      fluxTimeoutMs: runtime.settings.fluxTimeoutMs,
      readParameter: (name: string) => runtime.readParameter(name),
    };
    const result = await runJob(
      { store: runtime.store },
      jobId,
      async (job: JobRecord) => {
        switch (job.kind) {
          case 'diff':
            return executeDiffJob(diffDeps, job);
          case 'post-diff': {
            const comment = await postDiffToPullRequest(runtime, String(job.inputs.diffJobId), requesterOnGithub(job.requester));
            return { outcome: { ...comment } };
          }
          case 'approve': {
            const review = await approveFromDiff(runtime, String(job.inputs.diffJobId), requesterOnGithub(job.requester));
            return { outcome: { ...review } };
          }
          case VERSIONS_JOB_KINDS.list:
            return executeListJob(runtime, job);
          case VERSIONS_JOB_KINDS.environmentDiff:
            return executeEnvironmentDiffJob(runtime, job);
          case PROMOTE_JOB_KINDS.promote:
          case PROMOTE_JOB_KINDS.rollback:
            return executePromoteJob(runtime, job);
          case FLUX_CLI_JOB:
            return executeFluxCliJob(diffDeps, job);
          default:
            throw new Error(`job kind ${job.kind} is not handled by this worker version`);
        }
      },
      async (job: JobRecord) => {
        await auditJobOutcome(runtime.store, job);
        const where = { channel: job.requester.channel, ...(job.requester.threadTs ? { threadTs: job.requester.threadTs } : {}) };
        if (job.kind === 'diff') return reportDiffJob(runtime, job);
        if (job.kind === VERSIONS_JOB_KINDS.list || job.kind === VERSIONS_JOB_KINDS.environmentDiff) return reportVersionsJob(runtime, job);
        if (job.kind === PROMOTE_JOB_KINDS.promote || job.kind === PROMOTE_JOB_KINDS.rollback) return reportPromoteJob(runtime, job);
        if (job.kind === FLUX_CLI_JOB) return reportFluxCliJob(runtime, job);
        const failed = job.status === 'failed';
        const url = typeof job.outcome?.url === 'string' ? job.outcome.url : '';
        const text =
          job.kind === 'post-diff'
            ? failed
              ? `:x: Could not post the diff to the PR: ${job.error ?? 'unknown error'}`
              : `:memo: Diff ${job.outcome?.created ? 'posted to' : 'updated on'} the PR: ${url}`
            : failed
              ? `:x: Could not approve the PR: ${job.error ?? 'unknown error'}`
              : `:white_check_mark: <@${job.requester.user}> approved the PR: ${url}`;
        await runtime.slack.postMessage({ ...where, text });
      },
    );
    logger.info('job processed', { result });
  } finally {
    logger.removeKeys(['jobId']);
  }
}

