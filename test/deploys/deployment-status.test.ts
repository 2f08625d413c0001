import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentHistoryText } from '../../lib/flows/deploys';
import { jobIdFor } from '../../lib/flows/jobs';
import { receiveFluxEventSettled, useDay2World } from '../helpers/day2-world';
import { appliedDeployment, chartDeployment, gitRepository, helmRelease, kustomization } from '../helpers/flux-objects';
import { fluxEventBody } from '../helpers/flux-requests';

const SHA = (c: string) => c.repeat(40);

describe('deployments completed from the object’s status, read by the worker after the event', () => {
  const { world, prod } = useDay2World();

  beforeAll(() => {
    // A Kustomization with no wait and no healthChecks, that applied the api Deployment at revision a…
    prod().put(kustomization('apps', { applied: `main@sha1:${SHA('a')}` }));
    prod().put(gitRepository(`main@sha1:${SHA('a')}`));
    prod().put(appliedDeployment('api', 'web', { owner: 'apps', images: ['ghcr.io/acme/api:2.0.2', 'ghcr.io/acme/sidecar:1.4.0'] }));
    // … one that waits for its workloads …
    prod().put(kustomization('infra', { applied: `main@sha1:${SHA('b')}`, wait: true }));
    // … and one that has applied a newer revision than the event reports by the time the worker reads it.
    prod().put(kustomization('later', { applied: `main@sha1:${SHA('d')}` }));
    prod().put(appliedDeployment('worker', 'web', { owner: 'later', images: ['ghcr.io/acme/worker:3.1.0'] }));
    // helm-controller's history: the event's release (chart 6.5.4, these values) is the newest.
    prod().put(helmRelease('podinfo', 'podinfo', { releases: [{ chartVersion: '6.5.4', appVersion: '6.5.4', configDigest: 'sha256:c0ffee' }, { chartVersion: '6.5.3', appVersion: '6.5.3' }] }));
    prod().put(chartDeployment('podinfo', 'podinfo', { app: 'podinfo', release: 'podinfo', chart: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', images: ['ghcr.io/stefanprodan/podinfo:6.5.4'] }));
    prod().put(helmRelease('nowait', 'podinfo', { releases: [{ chartVersion: '1.2.0', appVersion: '1.2.0' }], disableWait: true }));
  });

  const receive = (body: string) => receiveFluxEventSettled(world, 'prod', body);
  const history = async (kind: 'HelmRelease' | 'Kustomization', namespace: string, name: string) => (await world().runtime()).store.deploymentHistory('prod', { kind, namespace, name });
  const kustomizationEvent = (name: string, sha: string, timestamp: string) =>
    fluxEventBody('kustomization-reconciliation-succeeded', { involvedObject: { namespace: 'flux-system', name }, metadata: { revision: `main@sha1:${sha}` }, timestamp });

  it('records a Kustomization success without wait or healthChecks as applied, with the images it applied, not as a rollout', async () => {
    // Act
    await receive(kustomizationEvent('apps', SHA('a'), '2026-11-20T10:15:02Z'));

    // Assess
    const [recorded] = await history('Kustomization', 'flux-system', 'apps');
    expect(recorded).toMatchObject({ version: SHA('a'), readiness: 'applied', images: ['ghcr.io/acme/api:2.0.2', 'ghcr.io/acme/sidecar:1.4.0'], statusReadAt: expect.any(String) });
    const { config, store } = await world().runtime();
    expect(await deploymentHistoryText({ config, store }, { app: 'apps' })).toMatch(/`aaaaaaa build sha256:[0-9a-f]{8}` · `api:2\.0\.2` `sidecar:1\.4\.0` · ReconciliationSucceeded \(Kustomization flux-system\/apps\) · applied, health not checked · Flux/);
  });

  it('records a Kustomization that waits for its workloads as health-checked', async () => {
    // Act
    await receive(kustomizationEvent('infra', SHA('b'), '2026-11-20T10:16:00Z'));

    // Assess
    const [recorded] = await history('Kustomization', 'flux-system', 'infra');
    expect(recorded).toMatchObject({ readiness: 'health-checked' });
  });

  it('does not give a revision the images of a later one the Kustomization applied since', async () => {
    // Act
    await receive(kustomizationEvent('later', SHA('c'), '2026-11-20T10:17:00Z'));

    // Assess
    const [recorded] = await history('Kustomization', 'flux-system', 'later');
    expect(recorded).toMatchObject({ version: SHA('c'), readiness: 'applied', statusReadAt: expect.any(String) });
    expect(recorded).not.toHaveProperty('images');
  });

  it('adds Helm’s status and the app version of that release from status.history, and whether helm-controller waited', async () => {
    // Act: an older helm-controller's event, with the chart version and values digest but no app-version.
    await receive(fluxEventBody('helmrelease-upgrade-succeeded', { metadata: { revision: '6.5.4', token: 'sha256:c0ffee' }, timestamp: '2026-11-20T10:20:41Z' }));
    await receive(fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'nowait' }, metadata: { revision: '1.2.0' }, timestamp: '2026-11-20T10:21:41Z' }));

    // Assess
    const [podinfo] = await history('HelmRelease', 'podinfo', 'podinfo');
    expect(podinfo).toMatchObject({ version: '6.5.4', appVersion: '6.5.4', releaseStatus: 'deployed', readiness: 'health-checked' });
    const [nowait] = await history('HelmRelease', 'podinfo', 'nowait');
    expect(nowait).toMatchObject({ readiness: 'applied', releaseStatus: 'deployed' });
  });

  it('reads the status once per deployment: a periodic success at the same revision queues nothing', async () => {
    // Prepare
    const { store } = await world().runtime();
    const recordsBefore = (await history('Kustomization', 'flux-system', 'apps')).length;

    // Act
    const outcome = await receive(kustomizationEvent('apps', SHA('a'), '2026-11-20T10:25:02Z'));

    // Assess
    expect(outcome).toMatchObject({ status: 'recorded', duplicate: true });
    expect(await history('Kustomization', 'flux-system', 'apps')).toHaveLength(recordsBefore);
    const statusJob = (at: string) => jobIdFor({ source: 'flux', key: `status:prod:Kustomization/flux-system/apps:${at}` });
    expect(await store.getJob(statusJob('2026-11-20T10:15:02.000Z'))).toMatchObject({ kind: 'deployment-status', status: 'succeeded' });
    expect(await store.getJob(statusJob('2026-11-20T10:25:02.000Z'))).toBeUndefined();
  });
});
