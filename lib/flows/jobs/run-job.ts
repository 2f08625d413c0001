import { logger } from '../../core/log';
import { recordJobCompleted, type JobOutcome } from '../../core/metrics';
import type { EffectState, JobRecord, Store } from '../../adapters/store';
import { JobNotRecorded } from './errors';
import { recordRunResults, reportRunAfter, settleAll, type ReportRun } from '../effects';

export interface RunJobDeps {
  store: Pick<Store, 'getJob' | 'transitionJob' | 'markJobReported' | 'failStaleJob' | 'beginEffect' | 'completeEffect' | 'getEffect'>;
  /** A job `running` for longer than this lost its worker (the worker Lambda's timeout is below it). */
  staleAfterMs?: number;
  now?: () => Date;
  /** Counts each finished job by kind and outcome (`JobsCompleted`). @default recordJobCompleted */
  recordCompleted?: (kind: string, outcome: JobOutcome) => void;
}

export type RunJobResult = 'succeeded' | 'failed' | 'reported-again' | 'repaired' | 'already-done' | 'already-running' | 'missing';

/** Above the worker's 15-minute Lambda ceiling: a job still `running` after this has no worker left. */
const DEFAULT_STALE_AFTER_MS = 20 * 60 * 1000;

/** The error text shown to the requester: our errors are written for users; anything else is named, not dumped. */
export function jobFailureMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0]?.slice(0, 1_000) || err.name;
  return 'unexpected error; see the worker logs';
}

/** The ledger entry of a job's report (lib/adapters/store/effects.ts): done once the requester was told, with what. */
const reportEffect = (jobId: string) => `job:${jobId}:report`;

/** Tells the requester how the job went; its posts are made through `run` (lib/flows/effects/report-run.ts). */
export type JobReport = (job: JobRecord, run: ReportRun) => Promise<void>;

/**
 * What a job's execution produced. `settling`: work it started that its ending need not wait for (a diff
 * keeping its checkout for the next one): awaited before runJob returns, so no handler returns with it in
 * flight; it must not reject.
 */
export interface JobExecution {
  outcome: Record<string, unknown>;
  settling?: Promise<unknown>;
}

type Ending = { status: 'succeeded'; outcome: Record<string, unknown> } | { status: 'failed'; error: string };

/** What a report's ledger entry records as told: the job's ending. */
function toldOf(job: JobRecord): Record<string, unknown> {
  return { status: job.status, ...(job.outcome ? { outcome: job.outcome } : {}), ...(job.error !== undefined ? { error: job.error } : {}) };
}

/**
 * Tells the requester once. The report's ledger entry is written before and after, with the outcome
 * told: a report that ran to its end is never run again (a stale "worker stopped" cannot overwrite an
 * "approved" that was said), and a redelivery can mend the job item from what was told. `begun` is the
 * ledger's answer when the caller already recorded the intent (runJob does, beside the job's ending).
 * `andMarkJob` marks the job reported beside the ledger's result (see recordTold). The report's posts
 * see this run (lib/flows/effects/report-run.ts): on its first run they record no intent of their own,
 * and their results are written with the report's.
 */
async function reportOnce(
  deps: RunJobDeps,
  job: JobRecord,
  report: JobReport,
  now: () => Date,
  { begun, andMarkJob }: { begun?: EffectState; andMarkJob: boolean },
): Promise<void> {
  const id = reportEffect(job.id);
  const told = toldOf(job);
  const before = begun ?? (await deps.store.beginEffect(id, now(), told));
  if (before.state === 'done') return recordTold(deps, job.id, undefined, undefined, andMarkJob, now);
  const run = reportRunAfter(before);
  try {
    await report(job, run);
  } catch (err) {
    // What this run did make is recorded before the failure is thrown, as each post recorded its own before:
    // the next run then finds it in the ledger rather than searching Slack for it.
    await settleAll(recordRunResults(deps.store, run, now())).catch((recordErr: unknown) => logger.warn('could not record the effects of a failed report; its next run looks for them in Slack', { jobId: job.id, error: recordErr as Error }));
    throw err;
  }
  await recordTold(deps, job.id, told, run, andMarkJob, now);
}

/**
 * The report's ledger result, its posts' results and the job's `reportedAt`, written at the same time
 * (one round trip, not three): none needs another first, and each is written only after the report ran
 * to its end. Whichever of them lands, a redelivery tells nothing again: with `reportedAt` the job is
 * `already-done` before the ledger is read; with the report's result, reportOnce finds it `done` and only
 * marks the job; with a post's result alone, the report runs again and that post is `recorded`, not made.
 */
async function recordTold(deps: RunJobDeps, jobId: string, told: Record<string, unknown> | undefined, run: ReportRun | undefined, andMarkJob: boolean, now: () => Date): Promise<void> {
  await settleAll([
    ...(told ? [deps.store.completeEffect(reportEffect(jobId), told, now())] : []),
    ...(run ? recordRunResults(deps.store, run, now()) : []),
    ...(andMarkJob ? [deps.store.markJobReported(jobId, now())] : []),
  ]);
}

/**
 * The job state machine of DESIGN §2: `queued -> running -> succeeded | failed`, every move
 * conditional, so a redelivered message never runs a job twice. The requester is told every outcome,
 * failures included, once (DESIGN §3 "Exactly once, visibly"): what was told is in the ledger, so a
 * redelivery after a crash tells nothing twice. When the job's last write fails after its effect
 * happened (GitHub approved the PR, then DynamoDB failed), the requester still hears the truth, from
 * what this worker holds, and the message fails so that its redelivery records it.
 */
export async function runJob(deps: RunJobDeps, jobId: string, execute: (job: JobRecord) => Promise<JobExecution>, report: JobReport): Promise<RunJobResult> {
  const now = deps.now ?? (() => new Date());
  const started = await deps.store.transitionJob(jobId, 'queued', 'running', {}, now());
  if (!started) return resumeUnstartable(deps, jobId, report, now);

  let ending: Ending;
  let settling: Promise<unknown> | undefined;
  try {
    const execution = await execute(started);
    settling = execution.settling;
    ending = { status: 'succeeded', outcome: execution.outcome };
  } catch (err) {
    logger.warn('job failed', { jobId, kind: started.kind, error: err as Error });
    ending = { status: 'failed', error: jobFailureMessage(err) };
  }
  try {
    return await endAndReport(deps, started, ending, report, now);
  } finally {
    await settling?.catch((err: unknown) => logger.warn('work the job left settling failed', { jobId, error: err as Error }));
  }
}

/** Records the ending of a job this worker ran, and tells it once. */
async function endAndReport(deps: RunJobDeps, started: JobRecord, ending: Ending, report: JobReport, now: () => Date): Promise<RunJobResult> {
  const jobId = started.id;
  const { status, ...patch } = ending;
  // The report's intent (the ending it will tell) is written beside the ending itself, not after it: the
  // intent is what lets a redelivery repair a job whose ending was not recorded (resumeUnstartable), so it
  // needs no recorded ending first; and the ending, once recorded, is reported by a redelivery whether or
  // not the intent landed (a `succeeded` job without `reportedAt` is reported again). Each crash between
  // the two leaves a state an earlier order could leave too.
  const [ended, intended] = await Promise.allSettled([
    deps.store.transitionJob(jobId, 'running', status, patch, now()),
    deps.store.beginEffect(reportEffect(jobId), now(), toldOf({ ...started, ...ending })),
  ]);
  if (ended.status === 'rejected') {
    const err: unknown = ended.reason;
    logger.error('could not record the job outcome; telling the requester what happened and leaving the job to its redelivery', { jobId, kind: started.kind, status, error: err as Error });
    await reportOnce(deps, { ...started, ...ending }, report, now, { ...(intended.status === 'fulfilled' ? { begun: intended.value } : {}), andMarkJob: false });
    throw new JobNotRecorded(jobId, status, { cause: err });
  }
  const finished = ended.value;
  if (!finished) {
    // failStaleJob moved it (we outlived our own deadline: whoever reports the stale job tells its own
    // ending), or a duplicate delivery recorded our ending from the intent written beside and tells it.
    logger.error('job was taken over while running; its outcome is not recorded', { jobId });
    return 'already-done';
  }
  (deps.recordCompleted ?? recordJobCompleted)(finished.kind, status);
  if (intended.status === 'rejected') throw intended.reason;
  await reportOnce(deps, finished, report, now, { begun: intended.value, andMarkJob: true });
  return status;
}

/** What a report's ledger entry says was told, if it names an ending. */
function toldEnding(result: Record<string, unknown>): Ending | undefined {
  if (result.status === 'succeeded' && result.outcome && typeof result.outcome === 'object') return { status: 'succeeded', outcome: result.outcome as Record<string, unknown> };
  if (result.status === 'failed') return { status: 'failed', error: typeof result.error === 'string' ? result.error : 'unknown error' };
  return undefined;
}

/** A message for a job that is not `queued`: a redelivery, a crashed worker, or a job that is gone. */
async function resumeUnstartable(deps: RunJobDeps, jobId: string, report: JobReport, now: () => Date): Promise<RunJobResult> {
  let job = await deps.store.getJob(jobId);
  if (!job) {
    logger.error('queued job id has no job item; dropping the message', { jobId });
    return 'missing';
  }
  if (job.status === 'running') {
    // The job's effect happened and its item could not record it (runJob's JobNotRecorded): the report's
    // ledger entry holds the ending, from its intent on. Finish telling it (each post is made once),
    // then record it.
    const told = await deps.store.getEffect(reportEffect(jobId));
    const ending = told.state === 'done' ? toldEnding(told.result) : told.state === 'intended' && told.intent ? toldEnding(told.intent) : undefined;
    if (ending) {
      // The ending is recorded first, and told only by the attempt whose conditional move won: runJob writes
      // the intent beside its own move, so a duplicate delivery that reads the intent while that move is in
      // flight loses the move here and tells nothing. A crash after the move leaves a finished job that is
      // not reported, which the next delivery tells (below).
      const { status, ...patch } = ending;
      const repaired = await deps.store.transitionJob(jobId, 'running', status, patch, now());
      if (!repaired) return 'already-done';
      (deps.recordCompleted ?? recordJobCompleted)(repaired.kind, status);
      await reportOnce(deps, repaired, report, now, { andMarkJob: true });
      return 'repaired';
    }
    const staleBefore = new Date(now().getTime() - (deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS));
    const failed = await deps.store.failStaleJob(jobId, staleBefore, 'the worker stopped before finishing this job (timeout or crash); run it again', now());
    if (!failed) return 'already-running';
    (deps.recordCompleted ?? recordJobCompleted)(failed.kind, 'stale');
    job = failed;
  }
  if (job.reportedAt) return 'already-done';
  await reportOnce(deps, job, report, now, { andMarkJob: true });
  return 'reported-again';
}
