import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ClusterAuthFailed, ClusterUnreachable, getKustomization, listDeployments, resolveClusterAccess } from '../../lib/adapters/kube';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { kustomization } from './flux-fixtures';

const TOKEN = 'the-right-token-abcdef';
const ref = { namespace: 'flux-system', name: 'apps' };

function connect(kubeconfig: string, options: { requestTimeoutMs?: number; impersonate?: { user?: string; group?: string } } = {}) {
  return resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(kubeconfig) }, options);
}

/** The fake's kubeconfig, pointed at another server. */
function pointedAt(fake: FakeKubernetes, server: string): string {
  const kubeconfig = parse(fake.kubeconfigYaml()) as { clusters: { cluster: { server: string } }[] };
  for (const entry of kubeconfig.clusters) entry.cluster.server = server;
  return stringify(kubeconfig);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('cluster failures', () => {
  let fake: FakeKubernetes;

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: TOKEN });
    fake.put(kustomization());
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('reports a wrong token as ClusterAuthFailed without repeating the token', async () => {
    // Prepare
    const connection = await connect(fake.kubeconfigYaml({ token: 'a-wrong-token-123' }));

    // Act
    const error = (await getKustomization(connection, ref).catch((err: unknown) => err)) as ClusterAuthFailed;

    // Assess
    expect(error).toBeInstanceOf(ClusterAuthFailed);
    expect(error.status).toBe(401);
    expect(error.message).toBe('cluster stage rejected the credentials: Unauthorized: the credentials of kubeconfig user "fake-user" are missing, invalid or expired');
    expect(error.message).not.toContain('a-wrong-token-123');
    expect(fake.requests.at(-1)?.auth).toBe('bearer-bad');
  });

  it('reports a server on a closed port as ClusterUnreachable, at once', async () => {
    // Prepare
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const connection = await connect(pointedAt(fake, `http://127.0.0.1:${port}`));

    // Act
    const reading = getKustomization(connection, ref);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ClusterUnreachable);
    await expect(reading).rejects.toThrow(`cluster stage is unreachable at 127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('gives up on a server that accepts but never answers after the request timeout', async () => {
    // Prepare
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    const connection = await connect(pointedAt(fake, `http://127.0.0.1:${port}`), { requestTimeoutMs: 300 });

    // Act
    const reading = listDeployments(connection, 'podinfo');

    // Assess
    try {
      await expect(reading).rejects.toThrow(`cluster stage is unreachable at 127.0.0.1:${port}: no answer before the request timeout`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("reports an RBAC denial with the API server's words and the impersonated identity", async () => {
    // Prepare
    fake.forbid({ user: 'viewer', resource: 'kustomizations' });
    const connection = await connect(fake.kubeconfigYaml(), { impersonate: { user: 'viewer' } });

    // Act
    const error = (await getKustomization(connection, ref).catch((err: unknown) => err)) as ClusterAuthFailed;

    // Assess
    expect(error).toBeInstanceOf(ClusterAuthFailed);
    expect(error.status).toBe(403);
    expect(error.message).toContain('kustomizations.kustomize.toolkit.fluxcd.io "apps" is forbidden: User "viewer" cannot get resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"');
    expect(error.message).toContain('impersonating user "viewer"');
  });
});
