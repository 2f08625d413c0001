import { beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentRecord, Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';
import { aDeployment } from '../helpers/deployments';

const deployment = (overrides: Partial<DeploymentRecord> = {}): DeploymentRecord => aDeployment({ at: '2026-11-20T10:00:00Z', revision: '6.5.3', version: '6.5.3', ...overrides });

describe('deployment items', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('records a deployment once, however often its event arrives', async () => {
    // Act
    const first = await store.recordDeployment(deployment());
    const again = await store.recordDeployment(deployment());

    // Assess
    expect(first).toEqual({ recorded: true, latest: true });
    expect(again.recorded).toBe(false);
    expect(await store.deploymentHistory('prod', deployment())).toHaveLength(1);
  });

  it('keeps an out-of-order event in the history without making it the latest', async () => {
    // Prepare
    await store.recordDeployment(deployment({ version: '6.5.4', revision: '6.5.4', at: '2026-11-21T10:00:00Z' }));

    // Act
    const late = await store.recordDeployment(deployment({ version: '6.5.2', revision: '6.5.2', at: '2026-11-19T10:00:00Z' }));

    // Assess
    expect(late).toEqual({ recorded: true, latest: false });
    expect((await store.latestDeployment('prod', deployment()))?.version).toBe('6.5.4');
    expect((await store.deploymentHistory('prod', deployment())).map((d) => d.version)).toEqual(['6.5.4', '6.5.3', '6.5.2']);
  });

  it('lists the latest deployment per object of a cluster and the history of an app across clusters', async () => {
    // Prepare
    await store.recordDeployment(deployment({ cluster: 'stage', version: '6.6.0', revision: '6.6.0', at: '2026-11-22T09:00:00Z' }));
    await store.recordDeployment(deployment({ cluster: 'stage', kind: 'Kustomization', namespace: 'flux-system', name: 'apps', revision: 'main@sha1:abc', version: 'abc', at: '2026-11-22T09:01:00Z' }));

    // Act
    const onStage = await store.latestDeploymentsOn('stage');
    const ofApp = await store.deploymentsOfApp('podinfo');

    // Assess
    expect(onStage.map((d) => `${d.kind}/${d.name}@${d.version}`).sort()).toEqual(['HelmRelease/podinfo@6.6.0', 'Kustomization/apps@abc']);
    expect(ofApp.map((d) => `${d.cluster}:${d.version}`)).toEqual(['stage:6.6.0', 'prod:6.5.4', 'prod:6.5.3', 'prod:6.5.2']);
  });

  it('completes a pending rollout exactly once', async () => {
    // Prepare
    await store.putPendingRollout({ jobId: 'j-1', cluster: 'prod', app: 'podinfo', expect: { version: '6.5.5' }, requester: { user: 'U1', channel: 'C1', messageTs: '1.2' }, action: 'promote', createdAt: '2026-11-23T10:00:00Z' });

    // Act
    const pending = await store.pendingRolloutsOn('prod');
    const results = await Promise.all([store.completePendingRollout('prod', 'j-1'), store.completePendingRollout('prod', 'j-1')]);

    // Assess
    expect(pending.map((p) => p.jobId)).toEqual(['j-1']);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.pendingRolloutsOn('prod')).toEqual([]);
  });

  it('grants an alert once per window', async () => {
    // Prepare
    const now = new Date('2026-11-23T10:00:00Z');
    const window = 5 * 60_000;

    // Act
    const claims = await Promise.all([1, 2, 3].map(() => store.claimAlert('prod', 'HelmRelease/podinfo/podinfo', 'UpgradeFailed', window, now)));
    const within = await store.claimAlert('prod', 'HelmRelease/podinfo/podinfo', 'UpgradeFailed', window, new Date(now.getTime() + window - 1));
    const after = await store.claimAlert('prod', 'HelmRelease/podinfo/podinfo', 'UpgradeFailed', window, new Date(now.getTime() + window));

    // Assess
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(within).toBe(false);
    expect(after).toBe(true);
  });
});
