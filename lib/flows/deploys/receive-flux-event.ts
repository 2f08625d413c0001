import { logger } from '../../core/log';
import type { DeploymentRecord } from '../../adapters/store';
import { alertError, type AlertOutcome } from './alerts';
import { deploymentOf } from './deployment-of';
import { queueDeploymentStatus } from './deployment-status';
import type { FluxEventDeps } from './deps';
import { UnknownCluster } from './errors';
import { objectRef, parseFluxEvent, revisionOf, type FluxEvent } from './flux-event';
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
    const why = (await noteAppliedChanges(deps, cluster, event)) ?? found.ignored;
    logger.info('Flux event ignored', { cluster, why });
    return { status: 'ignored', object: objectRef(event), reason: why };
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
  const repeated = newest ? undefined : await repeatedDeployment(deps, deployment);
  if (repeated) {
    await checkRebuild(deps, repeated, deployment);
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
async function repeatedDeployment(deps: FluxEventDeps, deployment: DeploymentRecord): Promise<DeploymentRecord | undefined> {
  const latest = await deps.store.latestDeployment(deployment.cluster, deployment);
  return latest !== undefined && latest.revision === deployment.revision && latest.configDigest === deployment.configDigest && latest.at <= deployment.at ? latest : undefined;
}

/**
 * kustomize-controller's change-set event (`Deployment/web/api configured`, one line per object; sent only
 * when server-side apply changed something, with the Ready reason of a reconciliation under way,
 * `Progressing`): at the latest deployment's revision it is either drift put back or a changed
 * substitution or spec. Noted on that deployment, so the success that follows is compared by build
 * (`status.history` digest) instead of being taken for a periodic reconciliation.
 */
const CHANGE_LINE = /^[A-Za-z0-9]+\/\S+ (created|configured|deleted)$/;

async function noteAppliedChanges(deps: FluxEventDeps, cluster: string, event: FluxEvent): Promise<string | undefined> {
  const { kind, namespace, name } = event.involvedObject;
  if (kind !== 'Kustomization' || event.severity !== 'info' || !event.message.split('\n').some((line) => CHANGE_LINE.test(line.trim()))) return undefined;
  const revision = revisionOf(event);
  const latest = await deps.store.latestDeployment(cluster, { kind, namespace, name });
  const at = new Date(event.timestamp).toISOString();
  if (!latest || !revision || latest.revision !== revision || latest.at > at || (latest.changeAppliedAt && latest.changeAppliedAt >= at)) return undefined;
  await deps.store.amendDeployment(cluster, latest, latest.at, { changeAppliedAt: at });
  return `changes applied at the deployed revision ${revision}: the next success is compared by build`;
}

/** A success at the same revision after changes were applied: the worker compares its build with the deployment's, once per change. */
async function checkRebuild(deps: FluxEventDeps, latest: DeploymentRecord, success: DeploymentRecord): Promise<void> {
  if (latest.kind !== 'Kustomization' || !deps.queue || !latest.changeAppliedAt) return;
  if (latest.changeAppliedAt <= (latest.changeCheckedAt ?? latest.at) || latest.changeAppliedAt > success.at) return;
  await deps.store.amendDeployment(latest.cluster, latest, latest.at, { changeCheckedAt: success.at });
  await queueDeploymentStatus({ store: deps.store, queue: deps.queue }, latest, { at: success.at, reason: success.reason, message: success.message });
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
