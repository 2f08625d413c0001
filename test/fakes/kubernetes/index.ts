import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { readBody } from '../router';
import { identify, matches, type AccessRequest, type ForbidRule } from './auth';
import { TEST_CERTIFICATE, TEST_KEY } from './certificate';
import { jsonPatch, mergePatch } from './patch';
import { groupVersion, groupVersionDiscovery, METRICS_GROUP, qualified, resourceOf, RESOURCES, rootDiscovery, status, type Resource } from './resources';

/**
 * An HTTP fake of the Kubernetes API server, on 127.0.0.1 and a random port, for client-node, kubectl and
 * flux. Plain http suits client-node; client-go (kubectl, flux) sends NO credentials over plain http
 * ("only try to read the auth information if we are secure", clientcmd client_config.go), so start the
 * fake with `tls: true` when a Go client must authenticate. It behaves like the real one
 * where Fluxline can tell: bearer authentication (401 Status), anonymous requests (403 as
 * system:anonymous), Impersonate-User / Impersonate-Group, RBAC denials (403 Status with the API server's
 * wording), NotFound Status objects, lists with `items`, discovery, and PATCH (merge and JSON patch).
 * By area: auth.ts (authentication, impersonation, RBAC rules), resources.ts (served resources, discovery),
 * patch.ts (PATCH bodies), certificate.ts (the TLS test certificate); objects are stored and served here.
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

export type { AccessRequest, ForbidRule } from './auth';

/**
 * What the stand-in flux (test/fakes/flux) reports of each `flux diff` it ran against this server: its
 * argv, the content of the `--kustomization-file` it was given, and the identity its kubeconfig made it
 * impersonate. Not a Kubernetes API: the stand-in POSTs it to `/__fake/flux-runs` so tests can read it.
 */
export interface FluxRun {
  argv: string[];
  kustomizationFile?: string;
  impersonateUser?: string;
  impersonateGroups: string[];
}

export interface FakeKubernetesOptions {
  /** The bearer token the fake accepts, or a check (EKS tokens are minted per run). */
  token: string | ((token: string) => boolean);
  /** Who the accepted token authenticates as. @default 'system:serviceaccount:fluxline:worker' */
  identity?: string;
  /** API groups whose CRDs are not installed (Flux missing): their resources answer 404, as the API server does. */
  uninstalledGroups?: string[];
  /** Serve https with the test certificate below (for 127.0.0.1 and localhost); kubeconfigYaml() trusts it. */
  tls?: boolean;
  /** Serve metrics.k8s.io (metrics-server installed). @default true */
  metrics?: boolean;
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
  /** The log a pod's container prints (`GET …/pods/NAME/log`), served with `tailLines` and `limitBytes` applied as the API server does. */
  putLog(ref: { namespace: string; pod: string; container?: string }, text: string): void;
  /** Holds every request whose path matches until `release` settles: a slow API server, to see what the client does meanwhile. */
  hold(path: RegExp, release: Promise<unknown>): void;
  readonly requests: RecordedRequest[];
  /** The `flux diff` runs the stand-in flux reported, in order. */
  readonly fluxRuns: FluxRun[];
  stop(): Promise<void>;
}

const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

export async function startFakeKubernetes(options: FakeKubernetesOptions): Promise<FakeKubernetes> {
  const objects = new Map<string, KubeObject>();
  const rules: ForbidRule[] = [];
  const requests: RecordedRequest[] = [];
  const holds: { path: RegExp; release: Promise<unknown> }[] = [];
  const fluxRuns: FluxRun[] = [];
  const logs = new Map<string, string>();
  let revision = 1;
  const keyOf = (resource: Resource, namespace: string, name: string) => `${qualified(resource)}/${namespace}/${name}`;
  const serving = RESOURCES.filter((resource) => !(options.metrics === false && resource.group === METRICS_GROUP) && !options.uninstalledGroups?.includes(resource.group));
  const tokenOk = (token: string) => (typeof options.token === 'string' ? token === options.token : options.token(token));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname === '/__fake/flux-runs' && req.method === 'POST') {
      fluxRuns.push(JSON.parse((await readBody(req)).toString('utf8')) as FluxRun);
      return send(200, {});
    }
    const { auth, impersonateUser, impersonateGroups, user, groups, rejection } = identify(req, tokenOk, options.identity);
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, ...(impersonateUser ? { impersonateUser } : {}), impersonateGroups, auth, ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}) });
    for (const held of holds.filter((h) => h.path.test(url.pathname))) await held.release.catch(() => undefined);
    // Authentication, then impersonation (auth.ts), then authorization (the rules below): the API server's filter order.
    if (rejection) return send(rejection.code, rejection.body);
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
    const discovery = rootDiscovery(url.pathname, url.host, serving);
    if (discovery) return send(200, discovery);
    // The core group lives under /api/v1, the others under /apis/<group>/<version>.
    const [root, group = '', version = '', ...rest] = segments[0] === 'api' ? ['api', '', ...segments.slice(1)] : segments;
    const served = serving.filter((resource) => resource.group === group && resource.version === version);
    if ((root !== 'apis' && root !== 'api') || served.length === 0) return send(404, status(404, 'NotFound', 'the server could not find the requested resource', {}));
    if (rest.length === 0) return send(200, groupVersionDiscovery(served, group, version));
    const [namespace, plural, name] = rest[0] === 'namespaces' && rest.length >= 3 ? [rest[1], rest[2], rest[3]] : [undefined, rest[0], rest[1]];
    const resource = served.find((candidate) => candidate.plural === plural);
    // pods/log, the one subresource served: read as the `get` verb on `pods/log` by RBAC, like the API server.
    if (resource?.plural === 'pods' && resource.group === '' && namespace !== undefined && name !== undefined && rest.length === 5 && rest[4] === 'log') {
      const access: AccessRequest = { user, groups, verb: 'get', resource: 'pods/log', group: '', namespace, name };
      if (rules.some((rule) => matches(rule, access))) return send(403, status(403, 'Forbidden', `pods "${name}" is forbidden: User "${user}" cannot get resource "pods/log" in API group "" in the namespace "${namespace}"`, { name, kind: 'pods' }));
      if (!objects.has(keyOf(resource, namespace, name))) return send(404, status(404, 'NotFound', `pods "${name}" not found`, { name, kind: 'pods' }));
      const container = url.searchParams.get('container') ?? '';
      let text = logs.get(`${namespace}/${name}/${container}`) ?? logs.get(`${namespace}/${name}/`) ?? '';
      const tail = url.searchParams.get('tailLines');
      if (tail !== null) text = text.split(/(?<=\n)/).slice(-Number(tail)).join('');
      const limit = url.searchParams.get('limitBytes');
      if (limit !== null) text = Buffer.from(text).subarray(0, Number(limit)).toString('utf8');
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(text);
    }
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
        const patch: unknown = JSON.parse((await readBody(req)).toString('utf8'));
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

  const refKey = (ref: { apiVersion: string; kind: string; name: string; namespace?: string }) => {
    const resource = resourceOf(ref.apiVersion, ref.kind);
    return keyOf(resource, resource.clusterScoped ? '' : (ref.namespace ?? 'default'), ref.name);
  };
  return {
    url,
    ...(caData ? { caData } : {}),
    requests,
    hold: (path, release) => holds.push({ path, release }),
    fluxRuns,
    putLog: ({ namespace, pod, container = '' }, text) => logs.set(`${namespace}/${pod}/${container}`, text),
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
      // A cluster-scoped object (a node's metrics) has no namespace, whatever the test wrote.
      const namespace = resource.clusterScoped ? undefined : (object.metadata.namespace ?? 'default');
      const key = keyOf(resource, namespace ?? '', object.metadata.name);
      const previous = objects.get(key);
      const stored = structuredClone(object);
      stored.metadata = {
        uid: previous?.metadata.uid ?? randomUUID(),
        creationTimestamp: previous?.metadata.creationTimestamp ?? new Date().toISOString(),
        generation: 1,
        ...stored.metadata,
        ...(namespace !== undefined ? { namespace } : {}),
        resourceVersion: String(++revision),
      };
      if (namespace === undefined) delete stored.metadata.namespace;
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
