import type { DeployedKind, DeploymentRecord } from '../../adapters/store';
import { chartVersionOf, commitOf, revisionOf, type FluxEvent } from './flux-event';

/** `token` (or `helm.toolkit.fluxcd.io/token` before notification-controller strips the group). */
const tokenOf = (event: FluxEvent): string | undefined => event.metadata.token ?? event.metadata['helm.toolkit.fluxcd.io/token'];

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
  return {
    deployment: {
      cluster,
      kind,
      namespace,
      name,
      revision: revision ?? version,
      version,
      // helm-controller sends the values' digest as the event's token: a values-only upgrade is a new deployment.
      ...(kind === 'HelmRelease' && tokenOf(event) ? { configDigest: tokenOf(event) } : {}),
      reason: event.reason,
      message: event.message,
      // One format for every stored time: the store orders deployments by comparing these strings.
      at: new Date(event.timestamp).toISOString(),
    },
  };
}
