import { logger } from '../../core/log';
import type { JobRecord, Store } from '../../adapters/store';
import { EnqueueFailed } from './errors';
import type { JobQueue } from './queue';

export interface EnqueueDeps {
  store: Pick<Store, 'createJob' | 'transitionJob'>;
  queue: JobQueue;
}

export interface EnqueueOptions {
  /**
   * Work that must be done before a worker can pick the job up (its `queued` check run, which the worker
   * then moves on): runs whenever the id is (re)sent, so it must be idempotent and not throw.
   */
  beforeSend?: (job: JobRecord) => Promise<void>;
}

/**
 * Writes the job, then sends its id. A repeated request finds the job already written and sends it
 * again only while it is still queued: a duplicate message is harmless (the worker starts a job only
 * from `queued`), whereas a lost one would leave the job waiting forever.
 */
export async function enqueueJob(deps: EnqueueDeps, job: JobRecord, { beforeSend }: EnqueueOptions = {}): Promise<{ job: JobRecord; created: boolean }> {
  const result = await deps.store.createJob(job);
  if (!result.created && result.job.status !== 'queued') return result;
  await beforeSend?.(result.job);
  try {
    await deps.queue.send(job.id);
  } catch (err) {
    logger.error('could not queue job', { jobId: job.id, error: err as Error });
    await deps.store.transitionJob(job.id, 'queued', 'failed', { error: 'the jobs queue did not accept this job; try again in a minute' });
    throw new EnqueueFailed(job.id, { cause: err });
  }
  return result;
}
