import type { DeployedKind, DeploymentRecord } from '../../adapters/store';
import { chartVersionOf, commitOf, metadataOf, revisionOf, type FluxEvent } from './flux-event';

/**
 * The reasons that mean "this revision is now deployed": kustomize-controller's apply and health checks
 * passed, or helm-controller's install, upgrade or rollback went through. Everything else (Progressing,
 * DependencyNotReady, ArtifactFailed …) is not a deployment.
 */
const SUCCESS_REASONS: Record<DeployedKind, readonly string[]> = {
  Kustomization: ['ReconciliationSucceeded'],
  HelmRelease: ['InstallSucceeded', 'UpgradeSucceeded', 'RollbackSucceeded'],
};

export type DeploymentOf = { deployment: DeploymentRecord } | { ignored: string };

function isDeployedKind(kind: string): kind is DeployedKind {
  return kind in SUCCESS_REASONS;
}

/** The deployment an info event reports, or why it reports none. */
export function deploymentOf(cluster: string, event: FluxEvent): DeploymentOf {
  const { kind, namespace, name } = event.involvedObject;
  if (event.severity !== 'info') return { ignored: `severity ${event.severity} is not a deployment` };
  if (!isDeployedKind(kind)) return { ignored: `${kind} events are not deployments (only Kustomization and HelmRelease are)` };
  if (!SUCCESS_REASONS[kind].includes(event.reason)) return { ignored: `${kind} reason ${event.reason} is not a deployment (${SUCCESS_REASONS[kind].join(', ')} are)` };
  const revision = revisionOf(event);
  const version = kind === 'HelmRelease' ? chartVersionOf(event, revision) : revision && commitOf(revision);
  if (!version) return { ignored: `${kind} ${event.reason} carries no revision in its metadata` };
  // What the controller copied from the object's status (see metadataOf): a HelmRelease's newest release
  // (its values' digest as the token, so a values-only upgrade is a new deployment; its app version; the
  // OCI digest, so a tag pushed again is one too), a Kustomization's origin revision.
  const status =
    kind === 'HelmRelease'
      ? { configDigest: metadataOf(event, 'token'), appVersion: metadataOf(event, 'app-version'), ociDigest: metadataOf(event, 'oci-digest') }
      : { originRevision: metadataOf(event, 'originRevision') };
  return {
    deployment: {
      cluster,
      kind,
      namespace,
      name,
      revision: revision ?? version,
      version,
      ...Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined)),
      reason: event.reason,
      message: event.message,
      // One format for every stored time: the store orders deployments by comparing these strings.
      at: new Date(event.timestamp).toISOString(),
    },
  };
}
