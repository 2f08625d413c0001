import { logger } from '../../core/log';
import { replyInPlace } from '../../adapters/slack';
import { onceSlack } from '../effects';
import type { DeploymentRecord, PendingRollout } from '../../adapters/store';
import { rolloutAuditEntry, type RolloutOutcome } from './audit-entries';
import type { FluxEventDeps } from './deps';
import { RolloutReportInProgress, SlackUnavailable } from './errors';
import { rolloutOutcomeText } from './messages';
import { isTransientSlackFailure } from './slack-failure';
import { commitOf } from './flux-event';

/**
 * How long one request may hold the right to report a rollout. Longer than the flux-events function can
 * run (DESIGN §2: it answers within 15 s), so a live holder never loses it; a holder that died frees it
 * for the next retry after this.
 */
const REPORT_LEASE_MS = 60_000;
const leaseOf = (rollout: PendingRollout) => ({ object: `rollout/${rollout.jobId}`, reason: 'report' });

const sameVersion = (a: string, b: string) => a.replace(/^v/, '') === b.replace(/^v/, '');

/** The Flux object a rollout waits on: the owner read at promote time, else (older rollouts) any of the app's name. */
export function rolloutObjectMatches(rollout: PendingRollout, object: { kind: string; namespace: string; name: string }): boolean {
  if (rollout.object) return rollout.object.kind === object.kind && rollout.object.namespace === object.namespace && rollout.object.name === object.name;
  return rollout.app === object.name;
}

/**
 * Whether a deployment is the one a pending promote/rollback waits for: the same Flux object (the one
 * that owns the app, whatever its name), and
 * - HelmRelease: the chart version it expects; for a values change (`anyUpgrade`), any upgrade reported
 *   after the request;
 * - Kustomization: a revision whose sha begins with the commit it expects (it may be abbreviated), or —
 *   since another commit may land on the branch first and Flux then applies that one, which contains
 *   ours — any revision other than the one applied before the promote, reported after the request.
 */
export function rolloutMatches(rollout: PendingRollout, deployment: DeploymentRecord): boolean {
  if (!rolloutObjectMatches(rollout, deployment)) return false;
  const { version, commitSha, previousRevision, anyUpgrade } = rollout.expect;
  const after = deployment.at >= new Date(rollout.createdAt).toISOString();
  if (deployment.kind === 'HelmRelease') return (version !== undefined && sameVersion(version, deployment.version)) || (anyUpgrade === true && after);
  if (commitSha !== undefined && commitSha.length >= 7 && deployment.version.toLowerCase().startsWith(commitSha.toLowerCase())) return true;
  return commitSha !== undefined && previousRevision !== undefined && after && commitOf(previousRevision) !== deployment.version;
}

/** Newest first: when two wait for the same thing, the newest request is "who deployed it". */
export async function pendingRolloutsOf(deps: FluxEventDeps, cluster: string, matches: (rollout: PendingRollout) => boolean): Promise<PendingRollout[]> {
  return (await deps.store.pendingRolloutsOn(cluster)).filter(matches).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Tells the requester how their promote/rollback ended, exactly once, then completes it. The order is
 * what makes a Flux retry safe:
 *
 * 1. Slack first, completion last. A rollout is removed only after its message is updated, so a failed
 *    Slack call (answered 503: Flux retries) never loses the update.
 * 2. `reportedAt` between them. Once Slack took the update, the rollout is marked; a retry of an event
 *    whose completion failed skips Slack and only completes it, so nothing is posted twice.
 * 3. A short lease around the Slack call. Two deliveries racing on the same rollout cannot both post:
 *    the loser answers 503 and its retry finds the rollout marked or gone.
 * 4. The audit entry is written by the one caller whose conditional delete removed the rollout.
 *
 * Returns false when another request completed it first.
 */
export async function reportRollout(deps: FluxEventDeps, rollout: PendingRollout, outcome: RolloutOutcome): Promise<boolean> {
  const now = deps.now?.() ?? new Date();
  if (!rollout.reportedAt) {
    const lease = leaseOf(rollout);
    if (!(await deps.store.claimAlert(rollout.cluster, lease.object, lease.reason, REPORT_LEASE_MS, now))) throw new RolloutReportInProgress(rollout.jobId);
    const { channel, messageTs, threadTs } = rollout.requester;
    try {
      // Updating the request's message is idempotent at Slack; a new post (no message to update) is made once,
      // so a retry after an answer lost on the way back finds it instead of posting it again.
      const slack = onceSlack({ store: deps.store, slack: deps.slack }, `rollout:${rollout.cluster}:${rollout.jobId}`);
      await replyInPlace(slack, { channel, ...(messageTs ? { messageTs } : {}), ...(threadTs ? { threadTs } : {}) }, { text: rolloutOutcomeText(rollout, outcome) });
    } catch (err) {
      if (isTransientSlackFailure(err)) {
        await deps.store.releaseAlert(rollout.cluster, lease.object, lease.reason);
        throw new SlackUnavailable(`outcome of rollout ${rollout.jobId}`, { cause: err });
      }
      // A deleted message or a channel the bot left stays so on every retry: complete it, and say so.
      logger.error('could not update the rollout message in Slack; completing the rollout without it', { jobId: rollout.jobId, channel, error: err as Error });
    }
    await deps.store.markRolloutReported(rollout.cluster, rollout.jobId, now);
  }
  if (!(await deps.store.completePendingRollout(rollout.cluster, rollout.jobId))) return false;
  const entry = rolloutAuditEntry(rollout, outcome);
  try {
    await deps.store.appendAudit(entry, now);
  } catch (err) {
    // The rollout is complete and reported; a retry would not find it again. Keep the entry in the log.
    logger.error('could not write the audit entry of a completed rollout', { entry, error: err as Error });
  }
  logger.info('rollout completed', { jobId: rollout.jobId, cluster: rollout.cluster, app: rollout.app, outcome: outcome.status });
  return true;
}
