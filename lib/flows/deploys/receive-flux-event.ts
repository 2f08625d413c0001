import { logger } from '../../core/log';
import type { DeploymentRecord } from '../../adapters/store';
import { alertError, type AlertOutcome } from './alerts';
import { deploymentOf } from './deployment-of';
import { queueDeploymentStatus } from './deployment-status';
import type { FluxEventDeps } from './deps';
import { UnknownCluster } from './errors';
import { objectRef, parseFluxEvent, type FluxEvent } from './flux-event';
import { pendingRolloutsOf, reportRollout, rolloutMatches, rolloutObjectMatches } from './rollouts';

export type FluxEventOutcome =
  | { status: 'recorded'; object: string; version: string; duplicate: boolean; latest: boolean; rollouts: string[] }
  | { status: 'alerted'; object: string; reason: string; posted: string[]; muted: string[]; rollouts: string[] }
  | { status: 'ignored'; object: string; reason: string };

/** Kinds whose error ends a pending promote/rollback: the objects that deploy an app. */
const DEPLOYING_KINDS = new Set(['Kustomization', 'HelmRelease']);

/**
 * DESIGN §3 flow 5: one verified Flux event from `cluster`. A success records the deployment (and
 * completes the promote/rollback waiting for it); an error alerts the cluster's channels (and fails the
 * promote/rollback waiting on that object); anything else is ignored. Safe to receive twice.
 */
export async function receiveFluxEvent(deps: FluxEventDeps, cluster: string, body: string): Promise<FluxEventOutcome> {
  const known = Object.keys(deps.config.clusters);
  if (!known.includes(cluster)) throw new UnknownCluster(cluster, known);
  const event = parseFluxEvent(body);
  logger.appendKeys({ fluxObject: objectRef(event), fluxReason: event.reason });
  try {
    return event.severity === 'error' ? await receiveError(deps, cluster, event) : await receiveInfo(deps, cluster, event);
  } finally {
    logger.removeKeys(['fluxObject', 'fluxReason']);
  }
}

async function receiveInfo(deps: FluxEventDeps, cluster: string, event: FluxEvent): Promise<FluxEventOutcome> {
  const found = deploymentOf(cluster, event);
  if ('ignored' in found) {
    logger.info('Flux event ignored', { cluster, why: found.ignored });
    return { status: 'ignored', object: objectRef(event), reason: found.ignored };
  }
  const rollouts = await pendingRolloutsOf(deps, cluster, (rollout) => rolloutMatches(rollout, found.deployment));
  const [newest] = rollouts;
  // A rollout knows what the commit meant: the app and the tag it wrote, and what the object's success proves.
  const deployment: DeploymentRecord = newest
    ? {
        ...found.deployment,
        by: { user: newest.requester.user, jobId: newest.jobId, action: newest.action },
        app: newest.app,
        ...(newest.expect.appVersion ? { appVersion: newest.expect.appVersion } : {}),
        ...(newest.readiness ? { readiness: newest.readiness } : {}),
      }
    : found.deployment;
  if (!newest && (await isRepeat(deps, deployment))) {
    logger.info('Flux event repeats the deployment already recorded', { cluster, version: deployment.version });
    return { status: 'recorded', object: objectRef(event), version: deployment.version, duplicate: true, latest: true, rollouts: [] };
  }
  const { recorded, latest } = await deps.store.recordDeployment(deployment);
  if (recorded && deps.queue) await queueDeploymentStatus({ store: deps.store, queue: deps.queue }, deployment);
  for (const rollout of rollouts) await reportRollout(deps, rollout, { status: 'succeeded', version: deployment.version, reason: deployment.reason, ...(rollout.readiness ? { readiness: rollout.readiness } : {}) });
  logger.info('deployment recorded', { cluster, version: deployment.version, duplicate: !recorded, latest, rollouts: rollouts.map((r) => r.jobId) });
  return { status: 'recorded', object: objectRef(event), version: deployment.version, duplicate: !recorded, latest, rollouts: rollouts.map((r) => r.jobId) };
}

/**
 * kustomize-controller sends `ReconciliationSucceeded` after every reconciliation (every `interval`),
 * not only when something changed: the same revision (and, for a HelmRelease, the same values) as the
 * latest deployment recorded is not a new deployment, and would bury the real ones in `/flux history`.
 */
async function isRepeat(deps: FluxEventDeps, deployment: DeploymentRecord): Promise<boolean> {
  const latest = await deps.store.latestDeployment(deployment.cluster, deployment);
  return latest !== undefined && latest.revision === deployment.revision && latest.configDigest === deployment.configDigest && latest.at <= deployment.at;
}

async function receiveError(deps: FluxEventDeps, cluster: string, event: FluxEvent): Promise<FluxEventOutcome> {
  const { kind } = event.involvedObject;
  const at = new Date(event.timestamp).toISOString();
  // An error from before the rollout was asked for is about the previous version, not this one.
  const rollouts = DEPLOYING_KINDS.has(kind) ? await pendingRolloutsOf(deps, cluster, (rollout) => rolloutObjectMatches(rollout, event.involvedObject) && new Date(rollout.createdAt).toISOString() <= at) : [];
  for (const rollout of rollouts) await reportRollout(deps, rollout, { status: 'failed', reason: event.reason, message: event.message });
  const alerted: AlertOutcome = await alertError(deps, cluster, event);
  logger.info('Flux error handled', { cluster, posted: alerted.posted, muted: alerted.muted, rollouts: rollouts.map((r) => r.jobId) });
  return { status: 'alerted', object: objectRef(event), reason: event.reason, ...alerted, rollouts: rollouts.map((r) => r.jobId) };
}
