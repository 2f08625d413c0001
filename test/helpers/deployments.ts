import type { DeploymentRecord } from '../../lib/adapters/store';

/** A successful HelmRelease upgrade of podinfo on prod, as the Flux events function records it. */
export const aDeployment = (overrides: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  cluster: 'prod',
  kind: 'HelmRelease',
  namespace: 'podinfo',
  name: 'podinfo',
  revision: '6.5.4',
  version: '6.5.4',
  reason: 'UpgradeSucceeded',
  message: 'Helm upgrade succeeded',
  at: '2026-11-20T10:00:00.000Z',
  ...overrides,
});
