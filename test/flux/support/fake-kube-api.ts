import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeKubeApi {
  url: string;
  /** Path and Authorization header of every request, to prove what the stand-in sent. */
  requests: { path: string; authorization: string | undefined }[];
  close: () => Promise<void>;
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

const KUSTOMIZATION = /^\/apis\/kustomize\.toolkit\.fluxcd\.io\/v1\/namespaces\/([^/]+)\/kustomizations\/([^/]+)$/;

/**
 * The smallest Kubernetes API the stand-in flux needs, with the API server's shapes and rules:
 * /version is public (system:public-info-viewer), everything else needs the bearer token; the
 * Kustomizations named in `kustomizations` (`namespace/name`) exist, others are a NotFound Status.
 */
export async function startFakeKubeApi(token: string, kustomizations: string[]): Promise<FakeKubeApi> {
  const requests: FakeKubeApi['requests'] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '';
    requests.push({ path, authorization: request.headers.authorization });
    const send = (code: number, body: unknown) => response.writeHead(code, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    if (request.method === 'GET' && path === '/version') return send(200, { major: '1', minor: '33', gitVersion: 'v1.33.1', platform: 'linux/arm64' });
    if (request.headers.authorization !== `Bearer ${token}`) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    const match = request.method === 'GET' ? KUSTOMIZATION.exec(path) : null;
    if (!match) return send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [, namespace = '', name = ''] = match;
    if (!kustomizations.includes(`${namespace}/${name}`)) return send(404, status(404, 'NotFound', `kustomizations.kustomize.toolkit.fluxcd.io "${name}" not found`));
    return send(200, {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace },
      spec: { interval: '10m', path: './clusters/stage', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
