import { logger } from '../../core/log';
import type { JobRecord, Store } from '../../adapters/store';

/**
 * A GitOps job's audit line: who asked, where, what it changed (`target`) and how it ended. It never throws:
 * the change itself is done (or refused) by then, so losing its line must be visible in the logs instead.
 */
export async function auditJob(deps: { store: Pick<Store, 'appendAudit'> }, job: JobRecord, outcome: 'succeeded' | 'failed' | 'refused', target: string, detail: string): Promise<void> {
  try {
    await deps.store.appendAudit({ actor: job.requester.user, action: job.kind, where: job.requester.channel, target, outcome, detail });
  } catch (err) {
    logger.error('could not append the audit entry', { jobId: job.id, target, outcome, error: err as Error });
  }
}
