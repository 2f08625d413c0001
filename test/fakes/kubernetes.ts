import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';

/**
 * An HTTP fake of the Kubernetes API server, on 127.0.0.1 and a random port, for client-node, kubectl and
 * flux. Plain http suits client-node; client-go (kubectl, flux) sends NO credentials over plain http
 * ("only try to read the auth information if we are secure", clientcmd client_config.go), so start the
 * fake with `tls: true` when a Go client must authenticate. It behaves like the real one
 * where Fluxline can tell: bearer authentication (401 Status), anonymous requests (403 as
 * system:anonymous), Impersonate-User / Impersonate-Group, RBAC denials (403 Status with the API server's
 * wording), NotFound Status objects, lists with `items`, discovery, and PATCH (merge and JSON patch).
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  impersonateUser?: string;
  impersonateGroups: string[];
  /** How the request authenticated; never the token itself. */
  auth: 'bearer-ok' | 'bearer-bad' | 'none';
  contentType?: string;
}

/** What an RBAC check sees: the effective (impersonated, if any) identity and the request's attributes. */
export interface AccessRequest {
  user: string;
  groups: string[];
  verb: string;
  resource: string;
  group: string;
  namespace?: string;
  name?: string;
}

export type ForbidRule = ((request: AccessRequest) => boolean) | { user?: string; group?: string; resource?: string; verb?: string };

export interface FakeKubernetesOptions {
  /** The bearer token the fake accepts, or a check (EKS tokens are minted per run). */
  token: string | ((token: string) => boolean);
  /** Who the accepted token authenticates as. @default 'system:serviceaccount:fluxline:worker' */
  identity?: string;
  /** Serve https with the test certificate below (for 127.0.0.1 and localhost); kubeconfigYaml() trusts it. */
  tls?: boolean;
}

export interface FakeKubernetes {
  url: string;
  /** Base64 PEM of the CA to trust when `tls` is on. */
  caData?: string;
  /** A kubeconfig pointing at the fake, with the accepted token unless another is given. */
  kubeconfigYaml(options?: { token?: string; context?: string }): string;
  /** Creates or replaces an object; metadata (uid, resourceVersion, generation…) is filled in. */
  put(object: KubeObject): KubeObject;
  remove(ref: { apiVersion: string; kind: string; name: string; namespace?: string }): void;
  /** The stored object, as the server would return it. */
  get(ref: { apiVersion: string; kind: string; name: string; namespace?: string }): KubeObject | undefined;
  /** Answer 403 like the API server when the rule matches (checked on the impersonated identity). */
  forbid(rule: ForbidRule): void;
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

interface Resource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Built-in types: list items carry no apiVersion/kind in JSON responses. */
  builtin?: boolean;
}

const RESOURCES: Resource[] = [
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', plural: 'gitrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'OCIRepository', plural: 'ocirepositories' },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', plural: 'helmrepositories' },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', builtin: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', builtin: true },
];

// A self-signed certificate for 127.0.0.1 and localhost, valid until 2126, made for this fake only
// (openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -days 36500
//  -addext subjectAltName=IP:127.0.0.1,DNS:localhost). It protects nothing.
const TEST_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBqDCCAU2gAwIBAgIUWpW8L7HuBDHzD1wj3AGvwDi7buwwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPZmFrZS1rdWJlcm5ldGVzMCAXDTI2MTEyMzEyMjQxOVoYDzIx
MjYxMDMwMTIyNDE5WjAaMRgwFgYDVQQDDA9mYWtlLWt1YmVybmV0ZXMwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAAQkBjtZyLr1Gs0RT1EcXfv88W5AAZy1iy1OedYA
0PR5rRP7Lu+JaYZjIxDGpy6dqP2Q0kb8yS+REq6kEkeR4rHEo28wbTAdBgNVHQ4E
FgQUmoBdu19VsZNl4M+rELVrzVbfel4wHwYDVR0jBBgwFoAUmoBdu19VsZNl4M+r
ELVrzVbfel4wDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2Nh
bGhvc3QwCgYIKoZIzj0EAwIDSQAwRgIhAIfMPWaT9CbuHHvAbs2DBwWVrSzArHDG
lXk0m6KlA0tCAiEAo5TeDHiqeHvwkaW53qXeVR2NR7t+B2IZ1Y2hFI4HqBM=
-----END CERTIFICATE-----
`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcX/ziErIoSApEX77
ZEqD3uwMenAy4bF+px9IBypv4nehRANCAAQkBjtZyLr1Gs0RT1EcXfv88W5AAZy1
iy1OedYA0PR5rRP7Lu+JaYZjIxDGpy6dqP2Q0kb8yS+REq6kEkeR4rHE
-----END PRIVATE KEY-----
`;

const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

const qualified = (resource: Resource) => (resource.group ? `${resource.plural}.${resource.group}` : resource.plural);
const groupVersion = (resource: Resource) => (resource.group ? `${resource.group}/${resource.version}` : resource.version);

function resourceOf(apiVersion: string, kind: string): Resource {
  const resource = RESOURCES.find((candidate) => groupVersion(candidate) === apiVersion && candidate.kind === kind);
  if (!resource) throw new Error(`the fake API server does not serve ${kind} ${apiVersion}; add it to RESOURCES in test/fakes/kubernetes.ts`);
  return resource;
}

function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function matches(rule: ForbidRule, request: AccessRequest): boolean {
  if (typeof rule === 'function') return rule(request);
  return (!rule.user || rule.user === request.user) && (!rule.group || request.groups.includes(rule.group)) && (!rule.resource || rule.resource === request.resource) && (!rule.verb || rule.verb === request.verb);
}

/** RFC 7386 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** RFC 6902 JSON patch, the add / replace / remove operations (client-node's default patch type). */
function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new Error('a JSON patch is an array of operations');
  const document = structuredClone(target) as Record<string, unknown>;
  for (const operation of operations as { op: string; path: string; value?: unknown }[]) {
    const keys = operation.path.split('/').slice(1).map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`invalid path ${operation.path}`);
    let parent: Record<string, unknown> = document;
    for (const key of keys) {
      const next = parent[key];
      if (typeof next !== 'object' || next === null) throw new Error(`path ${operation.path} does not exist`);
      parent = next as Record<string, unknown>;
    }
    if (operation.op === 'remove') delete parent[last];
    else if (operation.op === 'add' || operation.op === 'replace') parent[last] = operation.value;
    else throw new Error(`unsupported JSON patch operation ${operation.op}`);
  }
  return document;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeKubernetes(options: FakeKubernetesOptions): Promise<FakeKubernetes> {
  const objects = new Map<string, KubeObject>();
  const rules: ForbidRule[] = [];
  const requests: RecordedRequest[] = [];
  let revision = 1;
  const keyOf = (resource: Resource, namespace: string, name: string) => `${qualified(resource)}/${namespace}/${name}`;
  const tokenOk = (token: string) => (typeof options.token === 'string' ? token === options.token : options.token(token));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    const authorization = req.headers.authorization ?? '';
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    const auth = bearer === undefined ? 'none' : tokenOk(bearer) ? 'bearer-ok' : 'bearer-bad';
    const impersonateUser = req.headersDistinct['impersonate-user']?.[0];
    const impersonateGroups = req.headersDistinct['impersonate-group'] ?? [];
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, ...(impersonateUser ? { impersonateUser } : {}), impersonateGroups, auth, ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}) });

    // Authentication, then impersonation, then authorization: the API server's filter order.
    if (auth === 'bearer-bad' || (authorization && auth === 'none')) return send(401, status(401, 'Unauthorized', 'Unauthorized'));
    if (impersonateGroups.length > 0 && !impersonateUser) {
      return send(500, status(500, 'InternalError', `Internal error occurred: requested [${impersonateGroups.map((group) => `{Group  ${group}  authentication.k8s.io/v1  }`).join(' ')}] without impersonating a user`));
    }
    const user = impersonateUser ?? (auth === 'bearer-ok' ? (options.identity ?? 'system:serviceaccount:fluxline:worker') : 'system:anonymous');
    const groups = impersonateUser ? [...impersonateGroups, 'system:authenticated'] : auth === 'bearer-ok' ? ['system:authenticated'] : ['system:unauthenticated'];

    if (impersonateUser && auth !== 'bearer-ok') {
      return send(403, status(403, 'Forbidden', `users "${impersonateUser}" is forbidden: User "system:anonymous" cannot impersonate resource "users" in API group "" at the cluster scope`, { name: impersonateUser, kind: 'users' }));
    }
    // system:public-info-viewer: open to everyone, anonymous included.
    if (url.pathname === '/version') {
      return send(200, { major: '1', minor: '31', gitVersion: 'v1.31.0', gitCommit: 'fake', gitTreeState: 'clean', buildDate: '2024-08-13T07:28:49Z', goVersion: 'go1.22.5', compiler: 'gc', platform: 'linux/amd64' });
    }
    if (HEALTH_PATHS.has(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('ok');
    }
    if (user === 'system:anonymous') return send(403, status(403, 'Forbidden', `forbidden: User "system:anonymous" cannot get path "${url.pathname}"`, {}));
    const segments = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: url.host }] });
    if (url.pathname === '/api/v1') return send(200, { kind: 'APIResourceList', groupVersion: 'v1', resources: RESOURCES.filter((r) => r.group === '').map((r) => ({ name: r.plural, singularName: r.kind.toLowerCase(), namespaced: true, kind: r.kind, verbs: ['get', 'list'] })) });
    if (url.pathname === '/apis') {
      const groupNames = [...new Set(RESOURCES.map((resource) => resource.group).filter(Boolean))];
      const groupList = groupNames.map((name) => {
        const versions = [...new Set(RESOURCES.filter((resource) => resource.group === name).map((resource) => resource.version))].map((version) => ({ groupVersion: `${name}/${version}`, version }));
        return { name, versions, preferredVersion: versions[0] };
      });
      return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups: groupList });
    }
    // The core group lives under /api/v1, the others under /apis/<group>/<version>.
    const [root, group = '', version = '', ...rest] = segments[0] === 'api' ? ['api', '', ...segments.slice(1)] : segments;
    const served = RESOURCES.filter((resource) => resource.group === group && resource.version === version);
    if ((root !== 'apis' && root !== 'api') || served.length === 0) return send(404, status(404, 'NotFound', 'the server could not find the requested resource', {}));
    if (rest.length === 0) {
      const resources = served.map((resource) => ({ name: resource.plural, singularName: resource.kind.toLowerCase(), namespaced: true, kind: resource.kind, verbs: ['get', 'list', 'patch'] }));
      return send(200, { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources });
    }
    const [namespace, plural, name] = rest[0] === 'namespaces' && rest.length >= 3 ? [rest[1], rest[2], rest[3]] : [undefined, rest[0], rest[1]];
    const resource = served.find((candidate) => candidate.plural === plural);
    if (!resource || (namespace === undefined && name !== undefined) || rest.length > (namespace === undefined ? 1 : 4)) {
      return send(404, status(404, 'NotFound', 'the server could not find the requested resource', {}));
    }

    const verb = req.method === 'PATCH' ? 'patch' : req.method === 'GET' ? (name ? 'get' : 'list') : (req.method ?? 'GET').toLowerCase();
    const access: AccessRequest = { user, groups, verb, resource: resource.plural, group: resource.group, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}) };
    if (rules.some((rule) => matches(rule, access))) {
      const subject = name ? `${qualified(resource)} "${name}"` : qualified(resource);
      const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
      return send(403, status(403, 'Forbidden', `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource.plural}" in API group "${resource.group}" ${scope}`, { ...(name ? { name } : {}), group: resource.group, kind: resource.plural }));
    }
    const notFound = () => send(404, status(404, 'NotFound', `${qualified(resource)} "${name}" not found`, { name, group: resource.group, kind: resource.plural }));

    if (!name) {
      if (req.method !== 'GET') return send(405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
      const items = [...objects.entries()]
        .filter(([key, object]) => key.startsWith(`${qualified(resource)}/`) && (namespace === undefined || object.metadata.namespace === namespace))
        .map(([, object]) => (resource.builtin ? { ...object, apiVersion: undefined, kind: undefined } : object));
      return send(200, { apiVersion: groupVersion(resource), kind: `${resource.kind}List`, metadata: { resourceVersion: String(revision) }, items });
    }
    const key = keyOf(resource, namespace ?? '', name);
    const current = objects.get(key);
    if (req.method === 'GET') return current ? send(200, current) : notFound();
    if (req.method === 'PATCH') {
      if (!current) return notFound();
      const contentType = (req.headers['content-type'] ?? '').split(';')[0];
      let patched: unknown;
      try {
        const patch: unknown = JSON.parse(await readBody(req));
        if (contentType === 'application/merge-patch+json') patched = mergePatch(current, patch);
        else if (contentType === 'application/json-patch+json') patched = jsonPatch(current, patch);
        else return send(415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`));
      } catch (err) {
        return send(400, status(400, 'BadRequest', `the patch could not be applied: ${(err as Error).message}`));
      }
      const next = patched as KubeObject;
      const specChanged = JSON.stringify(next.spec) !== JSON.stringify(current.spec);
      const generation = typeof current.metadata.generation === 'number' ? current.metadata.generation : 1;
      // The patch may change labels and annotations; the server keeps the system fields its own.
      next.metadata = { ...next.metadata, name: current.metadata.name, namespace: current.metadata.namespace, uid: current.metadata.uid, resourceVersion: String(++revision), generation: specChanged ? generation + 1 : generation };
      objects.set(key, next);
      return send(200, next);
    }
    return send(405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status(500, 'InternalError', `fake API server error: ${(err as Error).message}`)));
    });
  };
  const server = options.tls ? createTlsServer({ cert: TEST_CERTIFICATE, key: TEST_KEY }, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const caData = options.tls ? Buffer.from(TEST_CERTIFICATE).toString('base64') : undefined;

  const refKey = (ref: { apiVersion: string; kind: string; name: string; namespace?: string }) => keyOf(resourceOf(ref.apiVersion, ref.kind), ref.namespace ?? 'default', ref.name);
  return {
    url,
    ...(caData ? { caData } : {}),
    requests,
    kubeconfigYaml({ token, context = 'fake' } = {}) {
      const bearer = token ?? (typeof options.token === 'string' ? options.token : undefined);
      if (bearer === undefined) throw new Error('the fake accepts tokens by a check: pass the token to kubeconfigYaml({ token })');
      return stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'fake', cluster: { server: url, ...(caData ? { 'certificate-authority-data': caData } : { 'insecure-skip-tls-verify': true }) } }],
        users: [{ name: 'fake-user', user: { token: bearer } }],
        contexts: [{ name: context, context: { cluster: 'fake', user: 'fake-user', namespace: 'default' } }],
        'current-context': context,
      });
    },
    put(object) {
      const resource = resourceOf(object.apiVersion, object.kind);
      const namespace = object.metadata.namespace ?? 'default';
      const key = keyOf(resource, namespace, object.metadata.name);
      const previous = objects.get(key);
      const stored = structuredClone(object);
      stored.metadata = {
        uid: previous?.metadata.uid ?? randomUUID(),
        creationTimestamp: previous?.metadata.creationTimestamp ?? new Date().toISOString(),
        generation: 1,
        ...stored.metadata,
        namespace,
        resourceVersion: String(++revision),
      };
      objects.set(key, stored);
      return structuredClone(stored);
    },
    remove(ref) {
      objects.delete(refKey(ref));
    },
    get(ref) {
      const object = objects.get(refKey(ref));
      return object && structuredClone(object);
    },
    forbid(rule) {
      rules.push(rule);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
