import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentHistoryText } from '../../lib/flows/deploys';
import { jobIdFor } from '../../lib/flows/jobs';
import { receiveFluxEventSettled, useDay2World } from '../helpers/day2-world';
import { appliedDeployment, buildDigest, gitRepository, kustomization } from '../helpers/flux-objects';
import { fluxEventBody } from '../helpers/flux-requests';

const SHA = (c: string) => c.repeat(40);
const REVISION = `main@sha1:${SHA('e')}`;

describe("a Kustomization's deployments told apart by what it built (status.history digest), not only by the Git revision", () => {
  const { world, prod } = useDay2World();

  beforeAll(() => {
    prod().put(gitRepository(REVISION));
    prod().put(appliedDeployment('api', 'web', { owner: 'subst', images: ['ghcr.io/acme/api:2.0.2'] }));
    // kustomize-controller's history after the first reconciliation of each Kustomization at revision e.
    prod().put(kustomization('subst', { applied: REVISION, builds: [{ build: 'subst-1', revision: REVISION, firstReconciled: '2026-11-20T10:00:00Z', lastReconciled: '2026-11-20T10:00:00Z' }] }));
    prod().put(kustomization('steady', { applied: REVISION, builds: [{ build: 'steady-1', revision: REVISION, firstReconciled: '2026-11-20T10:00:00Z', lastReconciled: '2026-11-20T10:00:00Z' }] }));
  });

  const receive = (body: string) => receiveFluxEventSettled(world, 'prod', body);
  const history = async (name: string) => (await world().runtime()).store.deploymentHistory('prod', { kind: 'Kustomization', namespace: 'flux-system', name });
  const involvedObject = (name: string) => ({ namespace: 'flux-system', name });
  const succeeded = (name: string, timestamp: string) => fluxEventBody('kustomization-reconciliation-succeeded', { involvedObject: involvedObject(name), metadata: { revision: REVISION }, timestamp });
  const applied = (name: string, timestamp: string, message = 'ConfigMap/web/api-settings configured\nDeployment/web/api configured') =>
    fluxEventBody('kustomization-applied-changes', { involvedObject: involvedObject(name), metadata: { revision: REVISION }, timestamp, message });

  it('records the digest of the build with the deployment', async () => {
    // Act
    await receive(succeeded('subst', '2026-11-20T10:00:01Z'));

    // Assess
    expect(await history('subst')).toMatchObject([{ version: SHA('e'), digest: buildDigest('subst-1') }]);
  });

  it('records a new deployment when a changed substitution (or spec) builds other manifests at the same Git revision', async () => {
    // Prepare: the cluster-vars ConfigMap changed; kustomize-controller built, applied and recorded a new digest.
    prod().put(
      kustomization('subst', {
        applied: REVISION,
        builds: [
          { build: 'subst-2', revision: REVISION, firstReconciled: '2026-11-20T11:00:01Z', lastReconciled: '2026-11-20T11:00:01Z' },
          { build: 'subst-1', revision: REVISION, firstReconciled: '2026-11-20T10:00:00Z', lastReconciled: '2026-11-20T10:50:00Z', total: 6 },
        ],
      }),
    );

    // Act: what kustomize-controller sends for that reconciliation, the change set then the success.
    await receive(applied('subst', '2026-11-20T11:00:00Z'));
    await receive(succeeded('subst', '2026-11-20T11:00:02Z'));

    // Assess
    const records = await history('subst');
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ version: SHA('e'), revision: REVISION, digest: buildDigest('subst-2'), at: '2026-11-20T11:00:02.000Z', readiness: 'applied', images: ['ghcr.io/acme/api:2.0.2'] });
    expect(records[1]).toMatchObject({ digest: buildDigest('subst-1') });
    const { config, store } = await world().runtime();
    const text = await deploymentHistoryText({ config, store }, { app: 'subst' });
    expect(text).toContain(`\`eeeeeee build ${buildDigest('subst-2').slice(0, 15)}\``);
    expect(text).toContain(`\`eeeeeee build ${buildDigest('subst-1').slice(0, 15)}\``);
  });

  it('keeps a periodic reconciliation, and one that only corrected drift, out of the history (same digest)', async () => {
    // Prepare
    await receive(succeeded('steady', '2026-11-20T10:00:01Z'));
    // Someone scaled the Deployment by hand; kustomize-controller put it back, building the same manifests.
    prod().put(kustomization('steady', { applied: REVISION, builds: [{ build: 'steady-1', revision: REVISION, firstReconciled: '2026-11-20T10:00:00Z', lastReconciled: '2026-11-20T10:20:01Z', total: 3 }] }));

    // Act
    await receive(applied('steady', '2026-11-20T10:20:00Z', 'Deployment/web/api configured'));
    await receive(succeeded('steady', '2026-11-20T10:20:02Z'));
    await receive(succeeded('steady', '2026-11-20T10:30:02Z'));

    // Assess
    expect(await history('steady')).toMatchObject([{ digest: buildDigest('steady-1'), at: '2026-11-20T10:00:01.000Z' }]);
    // Only a reconciliation that changed something costs a read of the cluster; a periodic one queues nothing.
    const { store } = await world().runtime();
    const statusJob = (at: string) => jobIdFor({ source: 'flux', key: `status:prod:Kustomization/flux-system/steady:${at}` });
    expect(await store.getJob(statusJob('2026-11-20T10:20:02.000Z'))).toMatchObject({ status: 'succeeded', outcome: { recorded: false, digest: buildDigest('steady-1') } });
    expect(await store.getJob(statusJob('2026-11-20T10:30:02.000Z'))).toBeUndefined();
  });
});
