// lib/adapters/kube first: it lets client-node load on Node 20 (lib/adapters/kube/runtime-compat.ts).
import { resolveClusterAccess, type ClusterConnection } from '../../lib/adapters/kube';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { deployment, kustomization } from './flux-fixtures';

const TOKEN = 'fake-token';

/** The fake answers like the API server; these pin the parts other tests and later issues rely on. */
describe('the fake Kubernetes API server', () => {
  let fake: FakeKubernetes;
  let connection: ClusterConnection;
  const call = (path: string, init: RequestInit = {}) => fetch(`${fake.url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } });

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: TOKEN, identity: 'system:serviceaccount:flux-system:fluxline' });
    const kubeconfig = fake.kubeconfigYaml();
    connection = await resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(kubeconfig) });
  });
  beforeEach(() => {
    fake.put(kustomization({ suspend: false }));
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('applies a merge patch, as `flux suspend` does, and bumps generation and resourceVersion', async () => {
    // Prepare
    const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
    const before = fake.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });

    // Act
    await api.patchNamespacedCustomObject(
      { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace: 'flux-system', plural: 'kustomizations', name: 'apps', body: { spec: { suspend: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );

    // Assess
    const after = fake.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    expect(after?.spec).toMatchObject({ suspend: true, path: './apps/staging' });
    expect(after?.metadata.generation).toBe(2);
    expect(Number(after?.metadata.resourceVersion)).toBeGreaterThan(Number(before?.metadata.resourceVersion));
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', contentType: 'application/merge-patch+json' });
  });

  it("applies a JSON patch, client-node's default patch type", async () => {
    // Prepare
    const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);

    // Act
    await api.patchNamespacedCustomObject({ group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace: 'flux-system', plural: 'kustomizations', name: 'apps', body: [{ op: 'replace', path: '/spec/suspend', value: true }] });

    // Assess
    expect(fake.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' })?.spec).toMatchObject({ suspend: true });
  });

  it('answers a missing object with a NotFound Status', async () => {
    // Act
    const response = await call('/apis/helm.toolkit.fluxcd.io/v2/namespaces/podinfo/helmreleases/podinfo');

    // Assess
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'helmreleases.helm.toolkit.fluxcd.io "podinfo" not found',
      reason: 'NotFound',
      details: { name: 'podinfo', group: 'helm.toolkit.fluxcd.io', kind: 'helmreleases' },
      code: 404,
    });
  });

  it('answers a bad token with the 401 Status and records no token', async () => {
    // Act
    const response = await fetch(`${fake.url}/apis/apps/v1/namespaces/podinfo/deployments`, { headers: { authorization: 'Bearer nope' } });

    // Assess
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    expect(JSON.stringify(fake.requests)).not.toContain('nope');
  });

  it('lets anonymous requests read /version only', async () => {
    // Act
    const version = await fetch(`${fake.url}/version`);
    const list = await fetch(`${fake.url}/apis/apps/v1/namespaces/podinfo/deployments`);

    // Assess
    expect(version.status).toBe(200);
    expect(await version.json()).toMatchObject({ major: '1', gitVersion: 'v1.31.0' });
    expect(list.status).toBe(403);
    expect(fake.requests.at(-1)).toMatchObject({ auth: 'none' });
  });

  it('refuses to impersonate a group without a user, as the API server does', async () => {
    // Act
    const response = await call('/apis/apps/v1/namespaces/podinfo/deployments', { headers: { 'impersonate-group': 'team' } });

    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ reason: 'InternalError', message: expect.stringContaining('without impersonating a user') as unknown });
  });

  it('lists built-in objects without kind and apiVersion on the items, like the API server', async () => {
    // Prepare
    fake.put(deployment('podinfo', 'podinfo', { images: ['ghcr.io/stefanprodan/podinfo:6.5.0'] }));

    // Act
    const response = await call('/apis/apps/v1/namespaces/podinfo/deployments');

    // Assess
    const list = (await response.json()) as { kind: string; items: Record<string, unknown>[] };
    expect(list.kind).toBe('DeploymentList');
    expect(list.items[0]).not.toHaveProperty('kind');
    expect(list.items[0]).toMatchObject({ metadata: { name: 'podinfo', namespace: 'podinfo', uid: expect.any(String) as unknown } });
  });

  it('serves discovery for the Flux and apps groups', async () => {
    // Act
    const groups = (await (await call('/apis')).json()) as { groups: { name: string }[] };
    const resources = (await (await call('/apis/kustomize.toolkit.fluxcd.io/v1')).json()) as { resources: { name: string; kind: string }[] };

    // Assess
    expect(groups.groups.map((group) => group.name)).toEqual(expect.arrayContaining(['kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io', 'helm.toolkit.fluxcd.io', 'apps']));
    expect(resources.resources).toEqual([expect.objectContaining({ name: 'kustomizations', kind: 'Kustomization' })]);
  });
});
