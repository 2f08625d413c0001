import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getGitRepository, getKustomization, GitRepositoryNotFound, KustomizationNotFound, listDeployments, resolveClusterAccess, type ClusterConnection } from '../../lib/adapters/kube';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { deployment, gitRepository, kustomization } from './flux-fixtures';

describe('reading Flux objects and Deployments', () => {
  let fake: FakeKubernetes;
  let connection: ClusterConnection;

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: 'worker-token' });
    const kubeconfig = fake.kubeconfigYaml();
    connection = await resolveClusterAccess('stage', { kubeconfig: { ssm: '/fluxline/prod/kubeconfig/stage' } }, { readParameter: () => Promise.resolve(kubeconfig) });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('reads a Kustomization: path, source (namespace defaulted to its own), suspension and readiness', async () => {
    // Prepare
    fake.put(kustomization({ name: 'apps', path: './apps/staging', suspend: true }));

    // Act
    const found = await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(found).toEqual({
      namespace: 'flux-system',
      name: 'apps',
      path: './apps/staging',
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      suspended: true,
      ready: { status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:1a2b3c4d', since: '2024-05-01T10:00:00Z' },
      lastAppliedRevision: 'main@sha1:1a2b3c4d',
      substituteFrom: [],
    });
  });

  it("defaults spec.path to the source's root and keeps a sourceRef namespace that is given", async () => {
    // Prepare
    fake.put(kustomization({ name: 'infra', namespace: 'tenants', path: '', sourceRef: { kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' } }));

    // Act
    const found = await getKustomization(connection, { namespace: 'tenants', name: 'infra' });

    // Assess
    expect(found.path).toBe('./');
    expect(found.sourceRef).toEqual({ kind: 'GitRepository', name: 'fleet', namespace: 'flux-system' });
    expect(found.suspended).toBe(false);
  });

  it('says which Kustomization is missing on which cluster', async () => {
    // Act
    const reading = getKustomization(connection, { namespace: 'flux-system', name: 'nope' });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(KustomizationNotFound);
    await expect(reading).rejects.toThrow('Kustomization flux-system/nope not found on cluster stage');
  });

  it('refuses a Kustomization without a sourceRef instead of guessing', async () => {
    // Prepare
    const broken = kustomization({ name: 'broken' });
    broken.spec = { path: './x' };
    fake.put(broken);

    // Act
    const reading = getKustomization(connection, { namespace: 'flux-system', name: 'broken' });

    // Assess
    await expect(reading).rejects.toMatchObject({ name: 'UnexpectedKubernetesObject', message: expect.stringContaining('spec.sourceRef') as unknown });
  });

  it('reads a GitRepository and the GitHub repository it points at', async () => {
    // Prepare
    fake.put(gitRepository({ url: 'https://github.example.com/acme/fleet.git' }));

    // Act
    const found = await getGitRepository(connection, { namespace: 'flux-system', name: 'flux-system' });

    // Assess
    expect(found).toEqual({
      namespace: 'flux-system',
      name: 'flux-system',
      url: 'https://github.example.com/acme/fleet.git',
      repository: 'acme/fleet',
      host: 'github.example.com',
      ref: { branch: 'main' },
      suspended: false,
      ready: { status: 'True', reason: 'Succeeded', message: "stored artifact for revision 'main@sha1:1a2b3c4d'", since: '2024-05-01T10:00:00Z' },
      revision: 'main@sha1:1a2b3c4d',
    });
  });

  it('never returns a password written into spec.url', async () => {
    // Prepare
    fake.put(gitRepository({ name: 'with-password', url: 'https://x-access-token:ghs_secret123@github.com/acme/fleet' }));

    // Act
    const found = await getGitRepository(connection, { namespace: 'flux-system', name: 'with-password' });

    // Assess
    expect(found.url).toBe('https://x-access-token:***@github.com/acme/fleet');
    expect(found.repository).toBe('acme/fleet');
  });

  it('says which GitRepository is missing on which cluster', async () => {
    // Act
    const reading = getGitRepository(connection, { namespace: 'flux-system', name: 'gone' });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(GitRepositoryNotFound);
    await expect(reading).rejects.toThrow('GitRepository flux-system/gone not found on cluster stage');
  });

  it('lists the Deployments of a namespace with their images and replica counts', async () => {
    // Prepare
    fake.put(deployment('podinfo', 'podinfo', { images: ['ghcr.io/stefanprodan/podinfo:6.5.0', 'envoyproxy/envoy:v1.29'], replicas: 3, readyReplicas: 2, labels: { app: 'podinfo', 'app.kubernetes.io/version': '6.5.0' } }));
    fake.put(deployment('redis', 'podinfo', { images: ['redis:7.2'] }));
    fake.put(deployment('elsewhere', 'other', { images: ['nginx:1.25'] }));

    // Act
    const deployments = await listDeployments(connection, 'podinfo');

    // Assess
    expect(deployments).toEqual([
      { name: 'podinfo', namespace: 'podinfo', labels: { app: 'podinfo', 'app.kubernetes.io/version': '6.5.0' }, images: ['ghcr.io/stefanprodan/podinfo:6.5.0', 'envoyproxy/envoy:v1.29'], readyReplicas: 2, replicas: 3 },
      { name: 'redis', namespace: 'podinfo', labels: { 'app.kubernetes.io/name': 'redis' }, images: ['redis:7.2'], readyReplicas: 0, replicas: 1 },
    ]);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/apis/apps/v1/namespaces/podinfo/deployments' });
  });

  it('lists no Deployments in an empty namespace', async () => {
    // Act
    const deployments = await listDeployments(connection, 'empty');

    // Assess
    expect(deployments).toEqual([]);
  });
});
