import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { ClusterConfigInvalid, getKustomization, resolveClusterAccess } from '../../lib/adapters/kube';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { kustomization } from './flux-fixtures';

const TOKEN = 'token-of-the-worker-0123456789';
const noSsm = { readParameter: () => Promise.reject(new Error('SSM is not used by this test')) };

/** A kubeconfig with the fake as context `fake` and an unreachable cluster as the current context. */
function twoContexts(fake: FakeKubernetes): string {
  const base = parse(fake.kubeconfigYaml({ context: 'fake' })) as Record<string, unknown[]>;
  return stringify({
    ...base,
    clusters: [...(base.clusters ?? []), { name: 'elsewhere', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
    users: [...(base.users ?? []), { name: 'other', user: { token: 'other-token' } }],
    contexts: [...(base.contexts ?? []), { name: 'elsewhere', context: { cluster: 'elsewhere', user: 'other' } }],
    'current-context': 'elsewhere',
  });
}

describe('resolveClusterAccess with a kubeconfig', () => {
  let fake: FakeKubernetes;
  let dir: string;

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: TOKEN });
    fake.put(kustomization());
    dir = await mkdtemp(join(tmpdir(), 'fluxline-kube-'));
  });
  afterAll(async () => {
    await fake.stop();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reads a kubeconfig file and uses the context named in config.yaml', async () => {
    // Prepare
    const file = join(dir, 'two-contexts');
    await writeFile(file, twoContexts(fake));

    // Act
    const connection = await resolveClusterAccess('stage', { kubeconfig: { file, context: 'fake' } }, noSsm);
    const found = await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(found.name).toBe('apps');
    expect(connection.server).toBe(fake.url);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps', auth: 'bearer-ok' });
  });

  it("uses the file's current-context when config.yaml names none", async () => {
    // Prepare
    const file = join(dir, 'current');
    await writeFile(file, fake.kubeconfigYaml({ context: 'only' }));

    // Act
    const connection = await resolveClusterAccess('stage', { kubeconfig: { file } }, noSsm);

    // Assess
    await expect(getKustomization(connection, { namespace: 'flux-system', name: 'apps' })).resolves.toMatchObject({ name: 'apps' });
  });

  it('expands ~ to the home directory, as config.example.yaml writes it', async () => {
    // Prepare
    vi.stubEnv('HOME', dir);
    await writeFile(join(dir, 'home-config'), fake.kubeconfigYaml());

    // Act
    const connection = await resolveClusterAccess('stage', { kubeconfig: { file: '~/home-config' } }, noSsm);

    // Assess
    expect(connection.server).toBe(fake.url);
  });

  it('refuses a context that is not in the file, listing the contexts it has and what to fix', async () => {
    // Prepare
    const file = join(dir, 'two-contexts-again');
    await writeFile(file, twoContexts(fake));

    // Act
    const resolving = resolveClusterAccess('stage', { kubeconfig: { file, context: 'prod' } }, noSsm);

    // Assess
    await expect(resolving).rejects.toBeInstanceOf(ClusterConfigInvalid);
    await expect(resolving).rejects.toThrow(/cluster stage: context "prod" is not in kubeconfig file .* \(contexts: fake, elsewhere\): set clusters\.stage\.kubeconfig\.context/);
  });

  it('refuses a missing file, naming the config key to fix', async () => {
    // Act
    const resolving = resolveClusterAccess('stage', { kubeconfig: { file: join(dir, 'nope') } }, noSsm);

    // Assess
    await expect(resolving).rejects.toMatchObject({ name: 'ClusterConfigInvalid', cluster: 'stage' });
    await expect(resolving).rejects.toThrow(/nope does not exist: fix clusters\.stage\.kubeconfig\.file/);
  });

  it('reads a kubeconfig held in an SSM parameter', async () => {
    // Prepare
    const readParameter = vi.fn((_name: string) => Promise.resolve(fake.kubeconfigYaml()));

    // Act
    const connection = await resolveClusterAccess('stage', { kubeconfig: { ssm: '/fluxline/prod/kubeconfig/stage' } }, { readParameter });
    const found = await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(readParameter).toHaveBeenCalledWith('/fluxline/prod/kubeconfig/stage');
    expect(found.path).toBe('./apps/staging');
  });

  it('says which SSM parameter could not be read', async () => {
    // Prepare
    const readParameter = () => Promise.reject(Object.assign(new Error('Parameter /fluxline/prod/kubeconfig/stage not found.'), { name: 'ParameterNotFound' }));

    // Act
    const resolving = resolveClusterAccess('stage', { kubeconfig: { ssm: '/fluxline/prod/kubeconfig/stage' } }, { readParameter });

    // Assess
    await expect(resolving).rejects.toThrow(/could not read the kubeconfig from SSM parameter \/fluxline\/prod\/kubeconfig\/stage \(ParameterNotFound\)/);
  });

  it('refuses a user with an exec credential plugin, which the Lambda cannot run', async () => {
    // Prepare
    const kubeconfig = parse(fake.kubeconfigYaml()) as { users: { name: string; user: Record<string, unknown> }[] };
    kubeconfig.users = [{ name: 'eks-admin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'] } } }];
    const text = stringify(kubeconfig).replace('user: fake-user', 'user: eks-admin');

    // Act
    const resolving = resolveClusterAccess('prod', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(text) });

    // Assess
    await expect(resolving).rejects.toThrow('cluster prod: user "eks-admin" uses an exec credential plugin (aws), which the Lambda cannot run; use an `eks:` cluster entry');
  });

  it('never quotes the kubeconfig when it is not valid YAML', async () => {
    // Prepare
    const broken = `apiVersion: v1\nusers:\n- name: u\n  user:\n    token: ${TOKEN}\n   bad: [indent\n`;

    // Act
    const resolving = resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(broken) });

    // Assess
    const error = (await resolving.catch((err: unknown) => err)) as Error;
    expect(error).toBeInstanceOf(ClusterConfigInvalid);
    expect(error.message).toMatch(/SSM parameter \/k is not valid YAML \(line \d+\)/);
    expect(error.message).not.toContain(TOKEN);
  });

  it('reads certificate files next to the kubeconfig and inlines them for the flux CLI', async () => {
    // Prepare
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
    await writeFile(join(dir, 'ca.crt'), pem);
    const kubeconfig = parse(fake.kubeconfigYaml()) as { clusters: { cluster: Record<string, unknown> }[] };
    const [entry] = kubeconfig.clusters;
    if (!entry) throw new Error('fixture has no cluster');
    entry.cluster = { server: fake.url, 'certificate-authority': 'ca.crt' };
    const file = join(dir, 'with-ca-file');
    await writeFile(file, stringify(kubeconfig));

    // Act
    const connection = await resolveClusterAccess('stage', { kubeconfig: { file } }, noSsm);
    const written = parse(connection.kubeconfigYaml()) as { clusters: { cluster: Record<string, unknown> }[] };

    // Assess
    expect(written.clusters[0]?.cluster).toEqual({ server: fake.url, 'certificate-authority-data': Buffer.from(pem).toString('base64') });
  });
});
