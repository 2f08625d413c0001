// The kubeconfig and the API server, as far as the stand-in needs them: it reads the current context
// the way client-go does and really calls the server (GET /version, then the Kustomization), so a wrong
// kubeconfig, a dead endpoint, a bad token or a missing Kustomization fail where the real flux would:
// exit 2 with a `✗` line.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A build/cluster error: flux exits 2 (`RequestError{StatusCode: 2}`) and prints `✗ <message>`. */
export class ClusterError extends Error {}

const NO_CONFIG = 'invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable';

function named(list, name) {
  return (Array.isArray(list) ? list : []).find((entry) => entry && entry.name === name);
}

/** Resolves the connection like client-go: --kubeconfig, else the first existing $KUBECONFIG entry, else ~/.kube/config. */
export function loadConnection(env, flags) {
  let path = flags.kubeconfig;
  if (path !== undefined && !existsSync(path)) throw new ClusterError(`stat ${path}: no such file or directory`);
  path ??= (env.KUBECONFIG ?? '').split(':').find((candidate) => candidate && existsSync(candidate));
  path ??= env.HOME && existsSync(join(env.HOME, '.kube', 'config')) ? join(env.HOME, '.kube', 'config') : undefined;
  if (path === undefined) throw new ClusterError(NO_CONFIG);

  let config;
  try {
    config = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (error) {
    throw new ClusterError(`error loading config file "${path}": ${error.message}`);
  }
  const contextName = flags.context ?? config['current-context'];
  if (!contextName) throw new ClusterError(NO_CONFIG);
  const context = named(config.contexts, contextName)?.context;
  if (!context) throw new ClusterError(`invalid configuration: [context was not found for specified context: ${contextName}, cluster has no server defined]`);
  const cluster = named(config.clusters, flags.cluster ?? context.cluster)?.cluster ?? {};
  const user = named(config.users, flags.user ?? context.user)?.user ?? {};
  const server = flags.server || cluster.server;
  if (!server) throw new ClusterError('invalid configuration: cluster has no server defined');

  let token = flags.token ?? user.token;
  if (!token && user.tokenFile) token = readFileSync(user.tokenFile, 'utf8').trim();
  const impersonateUser = flags.as ?? user.as;
  const impersonateGroups = flags['as-group'] !== undefined ? [flags['as-group']] : user['as-groups'] ?? [];
  return {
    server,
    token,
    impersonateUser,
    impersonateGroups,
    ca: cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined,
    insecure: flags['insecure-skip-tls-verify'] ?? cluster['insecure-skip-tls-verify'] ?? false,
  };
}

/** How Go's net package words a failed dial, which is what flux prints. */
function dialMessage(error, url) {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  switch (error.code) {
    case 'ECONNREFUSED':
      return `dial tcp ${url.hostname}:${port}: connect: connection refused`;
    case 'EHOSTUNREACH':
      return `dial tcp ${url.hostname}:${port}: connect: no route to host`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dial tcp: lookup ${url.hostname}: no such host`;
    case 'ECONNRESET':
      return `read tcp ${url.hostname}:${port}: connection reset by peer`;
    default:
      return error.message;
  }
}

/** client-go's error for a non-2xx answer: the Status message when the body is one, else its generic text. */
export function statusMessage(status, body) {
  try {
    const parsed = JSON.parse(body);
    if (parsed && parsed.kind === 'Status' && typeof parsed.message === 'string' && parsed.message) return parsed.message;
  } catch {
    // Not a Status object: fall through to client-go's generic wording.
  }
  if (status === 401) return 'the server has asked for the client to provide credentials';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'the server could not find the requested resource';
  return `an error on the server ("${body.slice(0, 100)}") has prevented the request from succeeding`;
}

const PREFIX = 'failed to get kustomization object';

/**
 * One authenticated request; resolves { status, body }, rejects with the dial error flux would print,
 * after `prefix` (flux's context for the failed call, e.g. `failed to get kustomization object`).
 */
export function request(connection, { method = 'GET', path, body, timeoutMs, prefix }) {
  const url = new URL(connection.server);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${path}`;
  const headers = { Accept: 'application/json', 'User-Agent': 'flux/stand-in' };
  if (body !== undefined) headers['Content-Type'] = 'application/merge-patch+json';
  if (connection.token) headers.Authorization = `Bearer ${connection.token}`;
  if (connection.impersonateUser) headers['Impersonate-User'] = connection.impersonateUser;
  if (connection.impersonateGroups.length > 0) headers['Impersonate-Group'] = connection.impersonateGroups;
  const client = url.protocol === 'https:' ? https : http;

  return new Promise((resolve, reject) => {
    const req = client.request(url, { method, headers, timeout: timeoutMs, ca: connection.ca, rejectUnauthorized: !connection.insecure }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('context deadline exceeded'), { code: 'ETIMEDOUT' })));
    req.on('error', (error) => {
      const verb = method.charAt(0) + method.slice(1).toLowerCase();
      reject(new ClusterError(`${prefix ? `${prefix}: ` : ''}${verb} "${url.href}": ${dialMessage(error, url)}`));
    });
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function get(connection, path, timeoutMs) {
  return request(connection, { path, timeoutMs, prefix: PREFIX });
}

/**
 * Talks to the API server as flux would before diffing: GET /version (reachability), then GET the
 * Kustomization with the user's credentials (flux2 internal/build/build.go getKustomization). A dead
 * endpoint, a rejected token, missing RBAC or a missing Kustomization fail here, as in flux.
 */
export async function checkCluster(connection, kustomization, timeoutMs, { ignoreNotFound = false } = {}) {
  for (const path of ['/version', `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${kustomization.namespace}/kustomizations/${kustomization.name}`]) {
    const { status, body } = await get(connection, path, timeoutMs);
    // --ignore-not-found with a --kustomization-file: a missing Kustomization is taken from the file (build.go build()).
    if (status === 404 && ignoreNotFound && path !== '/version') continue;
    if (status < 200 || status >= 300) throw new ClusterError(`${PREFIX}: ${statusMessage(status, body)}`);
  }
}

/**
 * Not flux: tells the fake Kubernetes (test/fakes/kubernetes `fluxRuns`) what this run was given (argv,
 * the --kustomization-file's content) and whom it impersonates. A server that is not the fake answers
 * 404, which is ignored: the stand-in then behaves as before.
 */
export async function recordRun(connection, run, timeoutMs) {
  const body = { ...run, ...(connection.impersonateUser ? { impersonateUser: connection.impersonateUser } : {}), impersonateGroups: connection.impersonateGroups };
  await request(connection, { method: 'POST', path: '/__fake/flux-runs', body, timeoutMs }).catch(() => undefined);
}
