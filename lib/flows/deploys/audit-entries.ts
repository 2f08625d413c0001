import type { AuditEntry, JobRecord, PendingRollout, Store } from '../../adapters/store';
import { logger } from '../../core/log';

/** The outcome of a promote or rollback, as Flux reported it. */
export type RolloutOutcome = { status: 'succeeded'; version: string; reason: string; readiness?: 'health-checked' | 'applied' } | { status: 'failed'; reason: string; message: string };

export function rolloutAuditEntry(rollout: PendingRollout, outcome: RolloutOutcome): AuditEntry {
  const expected = rollout.expect.version ?? rollout.expect.commitSha ?? '?';
  return {
    actor: rollout.requester.user,
    action: rollout.action,
    where: `Slack ${rollout.requester.channel}`,
    target: `${rollout.app}@${outcome.status === 'succeeded' ? outcome.version : expected} on ${rollout.cluster}`,
    outcome: outcome.status,
    detail: outcome.status === 'succeeded' ? `job ${rollout.jobId}; Flux: ${outcome.reason}` : `job ${rollout.jobId}; Flux: ${outcome.reason}: ${outcome.message.slice(0, 500)}`,
  };
}

/** Jobs whose outcome goes to the audit log: acts on a PR on someone's behalf. */
const AUDITED_JOB_KINDS = new Set(['approve', 'post-diff']);

/** Who approved or commented on which PR, from which channel, and how it went; undefined for other kinds. */
export function jobAuditEntry(job: JobRecord): AuditEntry | undefined {
  if (!AUDITED_JOB_KINDS.has(job.kind) || (job.status !== 'succeeded' && job.status !== 'failed')) return undefined;
  const pr = job.subject && 'repository' in job.subject ? job.subject : undefined;
  const url = typeof job.outcome?.url === 'string' ? job.outcome.url : undefined;
  // An approval records the risk flags it covered (issue #18).
  const flags = typeof job.outcome?.flags === 'string' ? `flags: ${job.outcome.flags}` : undefined;
  return {
    actor: job.requester.user,
    action: job.kind,
    where: `Slack ${job.requester.channel}${pr ? ` · ${pr.repository}` : ''}`,
    target: pr ? `${pr.repository}#${pr.number}` : `the PR of diff job ${String(job.inputs.diffJobId)}`,
    outcome: job.status,
    detail: [`job ${job.id}`, url, flags, job.error].filter(Boolean).join('; '),
  };
}

/**
 * Appends the audit entry of a finished job, stamped with the time it finished. Called where the
 * worker reports the outcome, which runs again only when reporting failed before: an entry may then
 * repeat (same job id, same time), but is never missing.
 */
export async function auditJobOutcome(store: Pick<Store, 'appendAudit'>, job: JobRecord): Promise<void> {
  const entry = jobAuditEntry(job);
  if (!entry) return;
  await store.appendAudit(entry, new Date(job.updatedAt));
  logger.info('audit entry written', { action: entry.action, target: entry.target, outcome: entry.outcome });
}
