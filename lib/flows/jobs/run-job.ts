import { logger } from '../../core/log';
import { recordJobCompleted, type JobOutcome } from '../../core/metrics';
import type { JobRecord, Store } from '../../adapters/store';

export interface RunJobDeps {
  store: Pick<Store, 'getJob' | 'transitionJob' | 'markJobReported' | 'failStaleJob'>;
  /** A job `running` for longer than this lost its worker (the worker Lambda's timeout is below it). */
  staleAfterMs?: number;
  now?: () => Date;
  /** Counts each finished job by kind and outcome (`JobsCompleted`). @default recordJobCompleted */
  recordCompleted?: (kind: string, outcome: JobOutcome) => void;
}

export type RunJobResult = 'succeeded' | 'failed' | 'reported-again' | 'already-done' | 'already-running' | 'missing';

/** Above the worker's 15-minute Lambda ceiling: a job still `running` after this has no worker left. */
const DEFAULT_STALE_AFTER_MS = 20 * 60 * 1000;

/** The error text shown to the requester: our errors are written for users; anything else is named, not dumped. */
function userMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]?.slice(0, 1_000) || err.name;
  return 'unexpected error; see the worker logs';
}

/**
 * The job state machine of DESIGN §2: `queued -> running -> succeeded | failed`, every move
 * conditional, so a redelivered message never runs a job twice. The requester is told every outcome,
 * failures included; telling is retried on redelivery until it worked once (`reportedAt`).
 */
export async function runJob(
  deps: RunJobDeps,
  jobId: string,
  execute: (job: JobRecord) => Promise<{ outcome: Record<string, unknown> }>,
  report: (job: JobRecord) => Promise<void>,
): Promise<RunJobResult> {
  const now = deps.now ?? (() => new Date());
  const started = await deps.store.transitionJob(jobId, 'queued', 'running', {}, now());
  if (!started) return resumeUnstartable(deps, jobId, report, now);

  let finished: JobRecord | undefined;
  try {
    const { outcome } = await execute(started);
    finished = await deps.store.transitionJob(jobId, 'running', 'succeeded', { outcome }, now());
  } catch (err) {
    logger.warn('job failed', { jobId, kind: started.kind, error: err as Error });
    finished = await deps.store.transitionJob(jobId, 'running', 'failed', { error: userMessage(err) }, now());
  }
  if (!finished) {
    // Only failStaleJob moves a running job elsewhere: we outlived our own deadline.
    logger.error('job was taken over while running; its outcome is not recorded', { jobId });
    return 'already-done';
  }
  const outcome = finished.status === 'succeeded' ? 'succeeded' : 'failed';
  (deps.recordCompleted ?? recordJobCompleted)(finished.kind, outcome);
  await report(finished);
  await deps.store.markJobReported(jobId, now());
  return outcome;
}

/** A message for a job that is not `queued`: a redelivery, a crashed worker, or a job that is gone. */
async function resumeUnstartable(deps: RunJobDeps, jobId: string, report: (job: JobRecord) => Promise<void>, now: () => Date): Promise<RunJobResult> {
  let job = await deps.store.getJob(jobId);
  if (!job) {
    logger.error('queued job id has no job item; dropping the message', { jobId });
    return 'missing';
  }
  if (job.status === 'running') {
    const staleBefore = new Date(now().getTime() - (deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS));
    const failed = await deps.store.failStaleJob(jobId, staleBefore, 'the worker stopped before finishing this job (timeout or crash); run it again', now());
    if (!failed) return 'already-running';
    (deps.recordCompleted ?? recordJobCompleted)(failed.kind, 'stale');
    job = failed;
  }
  if (job.reportedAt) return 'already-done';
  await report(job);
  await deps.store.markJobReported(jobId, now());
  return 'reported-again';
}
