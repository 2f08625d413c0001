import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { ClusterAuthFailed, ClusterConfigInvalid, createEksClusterLookup, getKustomization, resolveClusterAccess, type EksClusterLookup } from '../../lib/adapters/kube';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { kustomization } from './flux-fixtures';

const CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n').toString('base64');
const noSsm = { readParameter: () => Promise.reject(new Error('SSM is not used for EKS clusters')) };
const t0 = new Date('2024-01-02T03:04:05Z');

/** Fresh credentials per test: the token cache is per credentials source. */
const staticCredentials = () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-access-key-example' });

type Written = { clusters: { cluster: Record<string, unknown> }[]; users: { user: Record<string, unknown> }[] };

function tokenOf(kubeconfigYaml: string): unknown {
  return (parse(kubeconfigYaml) as Written).users[0]?.user.token;
}

/** The EKS REST API's DescribeCluster (GET /clusters/{name}), as @aws-sdk/client-eks calls it. */
async function startFakeEks(clusters: Record<string, { endpoint: string; caData: string }>): Promise<{ url: string; calls: { path: string; headers: IncomingHttpHeaders }[]; server: Server }> {
  const calls: { path: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    calls.push({ path: req.url ?? '', headers: req.headers });
    const name = /^\/clusters\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
    const cluster = clusters[decodeURIComponent(name)];
    if (!cluster) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.eks/' });
      res.end(JSON.stringify({ message: `No cluster found for name: ${name}.` }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ cluster: { name, arn: `arn:aws:eks:eu-west-1:123456789012:cluster/${name}`, status: 'ACTIVE', version: '1.31', endpoint: cluster.endpoint, certificateAuthority: { data: cluster.caData } } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

describe('resolveClusterAccess with an eks: entry', () => {
  let fake: FakeKubernetes;

  beforeAll(async () => {
    // The fake accepts any EKS-shaped token; the token itself is checked in eks-token.test.ts.
    fake = await startFakeKubernetes({ token: (token) => token.startsWith('k8s-aws-v1.') });
    fake.put(kustomization());
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('uses server and caData from config.yaml without calling DescribeCluster, and authenticates with a minted token', async () => {
    // Prepare
    const describeCluster = vi.fn(() => Promise.reject(new Error('must not be called')));
    const eks: EksClusterLookup = { describeCluster };

    // Act
    const connection = await resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1', server: fake.url, caData: CA_DATA } }, { ...noSsm, eks, credentials: staticCredentials(), now: () => t0 });
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(describeCluster).not.toHaveBeenCalled();
    expect(fake.requests.at(-1)).toMatchObject({ auth: 'bearer-ok' });
    const written = parse(connection.kubeconfigYaml()) as Written;
    expect(written.clusters[0]?.cluster).toEqual({ server: fake.url, 'certificate-authority-data': CA_DATA });
    expect(written.users[0]?.user).toEqual({ token: expect.stringMatching(/^k8s-aws-v1\.[A-Za-z0-9_-]+$/) as unknown });
  });

  it('asks DescribeCluster once per cluster and container for the endpoint and CA', async () => {
    // Prepare
    const describeCluster = vi.fn((_input: { name: string; region: string }) => Promise.resolve({ endpoint: fake.url, caData: CA_DATA, status: 'ACTIVE' }));
    const eks: EksClusterLookup = { describeCluster };
    const deps = { ...noSsm, eks, credentials: staticCredentials(), now: () => t0 };

    // Act
    const first = await resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1' } }, deps);
    const second = await resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1' } }, deps, { impersonate: { group: 'team-prod' } });
    await getKustomization(second, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(describeCluster).toHaveBeenCalledTimes(1);
    expect(describeCluster).toHaveBeenCalledWith({ name: 'prod', region: 'eu-west-1' });
    expect(first.server).toBe(fake.url);
    expect(fake.requests.at(-1)).toMatchObject({ auth: 'bearer-ok', impersonateGroups: ['team-prod'] });
  });

  it('asks DescribeCluster again after a failure instead of caching it', async () => {
    // Prepare
    const describeCluster = vi.fn().mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })).mockResolvedValue({ endpoint: fake.url, caData: CA_DATA });
    const deps = { ...noSsm, eks: { describeCluster }, credentials: staticCredentials(), now: () => t0 };

    // Act
    const failing = resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1' } }, deps);
    await expect(failing).rejects.toThrow('cluster prod: DescribeCluster of EKS cluster prod in eu-west-1 failed (ThrottlingException)');
    const connection = await resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1' } }, deps);

    // Assess
    expect(connection.server).toBe(fake.url);
    expect(describeCluster).toHaveBeenCalledTimes(2);
  });

  it('mints a fresh token once less than the longest flux run (the worker\'s 6 minutes and 1 to spare) remains on it (EKS tokens live fifteen)', async () => {
    // Prepare
    let now = t0;
    const deps = { ...noSsm, credentials: staticCredentials(), now: () => now };
    const access = { eks: { name: 'prod', region: 'eu-west-1', server: fake.url, caData: CA_DATA } };

    // Act
    const first = tokenOf((await resolveClusterAccess('prod', access, deps)).kubeconfigYaml());
    now = new Date(t0.getTime() + 8 * 60_000);
    const eightMinutesLater = tokenOf((await resolveClusterAccess('prod', access, deps)).kubeconfigYaml());
    now = new Date(t0.getTime() + 8 * 60_000 + 1_000);
    const connection = await resolveClusterAccess('prod', access, deps);
    const afterThat = tokenOf(connection.kubeconfigYaml());

    // Assess: at 8:00 seven minutes remain, enough for any flux run; at 8:01 they would not.
    expect(eightMinutesLater).toBe(first);
    expect(afterThat).not.toBe(first);
    await expect(getKustomization(connection, { namespace: 'flux-system', name: 'apps' })).resolves.toMatchObject({ name: 'apps' });
  });

  it('mints a fresh token when less than the validity the caller asks for remains', async () => {
    // Prepare
    let now = t0;
    const deps = { ...noSsm, credentials: staticCredentials(), now: () => now, minTokenValidityMs: 12 * 60_000 };
    const access = { eks: { name: 'prod', region: 'eu-west-1', server: fake.url, caData: CA_DATA } };

    // Act
    const first = tokenOf((await resolveClusterAccess('prod', access, deps)).kubeconfigYaml());
    now = new Date(t0.getTime() + 3 * 60_000 + 1_000);
    const later = tokenOf((await resolveClusterAccess('prod', access, deps)).kubeconfigYaml());

    // Assess
    expect(later).not.toBe(first);
  });

  it('refreshes the token of a long-lived connection on its next request', async () => {
    // Prepare
    let now = t0;
    const connection = await resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1', server: fake.url, caData: CA_DATA } }, { ...noSsm, credentials: staticCredentials(), now: () => now });
    const before = tokenOf(connection.kubeconfigYaml());

    // Act
    now = new Date(t0.getTime() + 12 * 60_000);
    await getKustomization(connection, { namespace: 'flux-system', name: 'apps' });

    // Assess
    expect(tokenOf(connection.kubeconfigYaml())).not.toBe(before);
  });

  it('reports missing AWS credentials as ClusterAuthFailed', async () => {
    // Prepare
    const credentials = () => Promise.reject(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));

    // Act
    const resolving = resolveClusterAccess('prod', { eks: { name: 'prod', region: 'eu-west-1', server: fake.url, caData: CA_DATA } }, { ...noSsm, credentials, now: () => t0 });

    // Assess
    await expect(resolving).rejects.toBeInstanceOf(ClusterAuthFailed);
    await expect(resolving).rejects.toThrow('no AWS credentials to sign an EKS token for prod (CredentialsProviderError)');
  });
});

describe('DescribeCluster through @aws-sdk/client-eks', () => {
  let eksApi: Awaited<ReturnType<typeof startFakeEks>>;

  beforeAll(async () => {
    eksApi = await startFakeEks({ prod: { endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com', caData: CA_DATA } });
  });
  afterAll(async () => {
    await new Promise((resolve) => eksApi.server.close(resolve));
  });

  it('reads the endpoint and CA of the cluster with SigV4-signed requests', async () => {
    // Prepare
    const lookup = createEksClusterLookup({ endpoint: eksApi.url, credentials: staticCredentials() });

    // Act
    const found = await lookup.describeCluster({ name: 'prod', region: 'eu-west-1' });

    // Assess
    expect(found).toEqual({ endpoint: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com', caData: CA_DATA, status: 'ACTIVE' });
    expect(eksApi.calls.at(-1)?.path).toBe('/clusters/prod');
    expect(eksApi.calls.at(-1)?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/eks\/aws4_request/);
  });

  it('turns an unknown cluster into ClusterConfigInvalid naming the config key', async () => {
    // Prepare
    const deps = { ...noSsm, eks: createEksClusterLookup({ endpoint: eksApi.url, credentials: staticCredentials() }), credentials: staticCredentials(), now: () => t0 };

    // Act
    const resolving = resolveClusterAccess('prod', { eks: { name: 'typo', region: 'eu-west-1' } }, deps);

    // Assess
    await expect(resolving).rejects.toBeInstanceOf(ClusterConfigInvalid);
    await expect(resolving).rejects.toThrow('cluster prod: EKS cluster typo in eu-west-1 does not exist: fix clusters.prod.eks in config.yaml');
  });
});
