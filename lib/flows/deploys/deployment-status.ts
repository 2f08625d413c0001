import * as z from '../../core/validation';
import { clusterAccess, type Config } from '../../core/config';
import { logger } from '../../core/log';
import { fluxOwnerOf, listDeployments, readFluxObject, resolveClusterAccess, type BuildSnapshot, type ClusterAccessDeps, type FluxObjectRef, type FluxObjectState } from '../../adapters/kube';
import type { DeploymentRecord, DeploymentStatusFields, JobRecord, Store } from '../../adapters/store';
import { enqueueJob, jobIdFor, type JobQueue } from '../jobs';

/**
 * The worker job that reads, after a Flux event, what the object's status says of the deployment the event
 * recorded. The events function answers Flux within 15 s and holds no cluster credentials (DESIGN §2); the
 * worker does. An event says what changed; only the object says what it proves and what it runs: a
 * Kustomization's `spec.wait`/`healthChecks` and the images it applied, a HelmRelease's wait and Helm's
 * status of that release in `status.history`.
 */
export const DEPLOYMENT_STATUS_JOB = 'deployment-status';

export const deploymentStatusInputsSchema = z.object({
  cluster: z.string(),
  kind: z.enum(['HelmRelease', 'Kustomization']),
  namespace: z.string(),
  name: z.string(),
  at: z.string(),
  /**
   * A later success at the deployment's revision, after kustomize-controller reported that it changed
   * objects: a new deployment if it built other manifests (a new `status.history` digest).
   */
  rebuilt: z.optional(z.object({ at: z.string(), reason: z.string(), message: z.string() })),
});

export type RebuiltEvent = { at: string; reason: string; message: string };

/**
 * Queues the status read of a deployment just recorded (or, with `rebuilt`, the comparison of a later
 * success's build with it); once per event, however often Flux retries it.
 */
export async function queueDeploymentStatus(deps: { store: Pick<Store, 'createJob' | 'transitionJob'>; queue: JobQueue }, deployment: DeploymentRecord, rebuilt?: RebuiltEvent): Promise<void> {
  const { cluster, kind, namespace, name, at } = deployment;
  const now = new Date().toISOString();
  const job: JobRecord = {
    id: jobIdFor({ source: 'flux', key: `status:${cluster}:${kind}/${namespace}/${name}:${rebuilt?.at ?? at}` }),
    kind: DEPLOYMENT_STATUS_JOB,
    status: 'queued',
    // Nobody asked: Flux did. The job tells nobody; the history shows what it found.
    requester: { user: 'flux', channel: '' },
    inputs: { cluster, kind, namespace, name, at, ...(rebuilt ? { rebuilt } : {}) },
    createdAt: now,
    updatedAt: now,
    attempts: 0,
  };
  try {
    await enqueueJob(deps, job);
  } catch (err) {
    // The deployment is recorded from the event; without its status it still counts.
    logger.warn('could not queue the status read of a deployment', { cluster, object: `${kind}/${namespace}/${name}`, error: err as Error });
  }
}

export interface DeploymentStatusDeps extends ClusterAccessDeps {
  config: Config;
  store: Pick<Store, 'deploymentHistory' | 'amendDeployment' | 'recordDeployment'>;
}

const sameDigest = (recorded: string | undefined, snapshot: string | undefined) => recorded === undefined || snapshot === undefined || recorded === snapshot;

/** What the object's status says of the recorded deployment; a field is left out when the status is about something else by now. */
export function statusFields(deployment: DeploymentRecord, state: FluxObjectState, images: string[]): DeploymentStatusFields {
  const fields: DeploymentStatusFields = { readiness: state.readiness };
  if (deployment.kind === 'HelmRelease') {
    // The release of that chart and values in helm-controller's history, newest first.
    const release = state.releases.find((snapshot) => snapshot.chartVersion === deployment.version && sameDigest(deployment.configDigest, snapshot.configDigest));
    if (release?.status) fields.releaseStatus = release.status;
    if (release?.appVersion && !deployment.appVersion) fields.appVersion = release.appVersion;
    return fields;
  }
  // The images belong to this revision only while it is still the one applied.
  if (state.appliedRevision === deployment.revision && images.length > 0) fields.images = images;
  const build = buildOf(state.builds, deployment.revision, deployment.at);
  if (build && !deployment.digest) fields.digest = build.digest;
  return fields;
}

const SUCCEEDED = 'ReconciliationSucceeded';

/**
 * The build a success at `at` reported: the newest successful snapshot of that revision that was first
 * reconciled by then (kustomize-controller upserts the snapshot before it sends the event). A later build
 * of the same revision (a substitution changed since) is another deployment's.
 */
function buildOf(builds: BuildSnapshot[], revision: string, at: string): BuildSnapshot | undefined {
  return builds.find((build) => build.revision === revision && build.status === SUCCEEDED && (!build.firstReconciled || new Date(build.firstReconciled).getTime() <= new Date(at).getTime()));
}

/** Reads the object (and, for a Kustomization, the Deployments it applied) and adds what it says to the record. */
export async function executeDeploymentStatusJob(deps: DeploymentStatusDeps, job: JobRecord): Promise<{ outcome: Record<string, unknown> }> {
  const inputs = deploymentStatusInputsSchema.parse(job.inputs);
  const ref: FluxObjectRef = { kind: inputs.kind, namespace: inputs.namespace, name: inputs.name };
  const deployment = (await deps.store.deploymentHistory(inputs.cluster, ref, 20)).find((record) => record.at === inputs.at);
  if (!deployment) return { outcome: { amended: false, why: 'the deployment is no longer recorded' } };
  const access = clusterAccess(deps.config, inputs.cluster);
  if (!access) return { outcome: { amended: false, why: `cluster ${inputs.cluster} is no longer in config.yaml` } };
  const connection = await resolveClusterAccess(inputs.cluster, access, deps);
  const state = await readFluxObject(connection, ref);
  const images =
    ref.kind === 'Kustomization'
      ? (await Promise.all(deps.config.apps.namespaces.map((namespace) => listDeployments(connection, namespace))))
          .flat()
          .filter((workload) => {
            const owner = fluxOwnerOf(workload.labels);
            return owner?.kind === ref.kind && owner.namespace === ref.namespace && owner.name === ref.name;
          })
          .flatMap((workload) => workload.images)
      : [];
  if (inputs.rebuilt) return recordRebuild(deps, deployment, state, [...new Set(images)].sort(), inputs.rebuilt);
  const fields = { ...statusFields(deployment, state, [...new Set(images)].sort()), statusReadAt: new Date().toISOString() };
  const amended = await deps.store.amendDeployment(inputs.cluster, ref, inputs.at, fields);
  logger.info('deployment status read', { cluster: inputs.cluster, object: `${ref.kind}/${ref.namespace}/${ref.name}`, amended, readiness: fields.readiness });
  return { outcome: { amended, ...fields } };
}

/**
 * A success at the revision of `deployment` after kustomize-controller changed objects: the same digest is
 * drift put back (or a reconciliation with nothing new), not a deployment; another digest is what a changed
 * substitution or Kustomization spec built from the same commit, recorded as a deployment of its own.
 */
async function recordRebuild(deps: DeploymentStatusDeps, deployment: DeploymentRecord, state: FluxObjectState, images: string[], rebuilt: RebuiltEvent): Promise<{ outcome: Record<string, unknown> }> {
  const object = `${deployment.kind}/${deployment.namespace}/${deployment.name}`;
  const build = buildOf(state.builds, deployment.revision, rebuilt.at);
  if (!build) return { outcome: { recorded: false, why: `no successful build of ${deployment.revision} in status.history (kustomize-controller before v1.7, or applied since)` } };
  const known = deployment.digest ?? (build.firstReconciled && new Date(build.firstReconciled).getTime() <= new Date(deployment.at).getTime() ? build.digest : undefined);
  if (known === build.digest) {
    // Learnt now when the first read missed it: the next comparison is by digest alone.
    if (!deployment.digest) await deps.store.amendDeployment(deployment.cluster, deployment, deployment.at, { digest: build.digest });
    logger.info('same build reconciled again', { cluster: deployment.cluster, object, digest: build.digest });
    return { outcome: { recorded: false, why: 'the same build as the deployment recorded', digest: build.digest } };
  }
  const { by: _by, appVersion: _appVersion, images: _images, releaseStatus: _releaseStatus, changeAppliedAt: _changed, changeCheckedAt: _checked, statusReadAt: _read, ...same } = deployment;
  const record: DeploymentRecord = {
    ...same,
    digest: build.digest,
    readiness: state.readiness,
    ...(state.appliedRevision === deployment.revision && images.length > 0 ? { images } : {}),
    statusReadAt: new Date().toISOString(),
    reason: rebuilt.reason,
    message: rebuilt.message,
    at: rebuilt.at,
  };
  const { recorded, latest } = await deps.store.recordDeployment(record);
  logger.info('new build of the same revision recorded', { cluster: deployment.cluster, object, digest: build.digest, recorded, latest });
  return { outcome: { recorded, latest, digest: build.digest } };
}
