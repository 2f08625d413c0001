import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { parse, YAMLError } from 'yaml';
import { describeIssue } from '../../core/validation';
import type { ClusterAuth, ClusterTarget } from './cluster-target';
import { ClusterConfigInvalid } from './errors';
import { kubeconfigSchema, type KubeconfigUser } from './kubeconfig-schema';
import type { KubeconfigText } from './read-kubeconfig';

/**
 * The cluster, user and impersonation of one context of a kubeconfig, with every file it references read
 * and inlined: the worker hands the flux CLI a kubeconfig of its own under /tmp, and a path into the
 * machine that resolved it would mean nothing there.
 *
 * Exec credential plugins (`aws eks get-token`, gke-gcloud-auth-plugin, kubelogin) and legacy
 * auth-providers are refused everywhere, locally too: the Lambda has no such binaries, and a config that
 * works on a laptop but fails in AWS is worse than one that fails on the laptop with the fix in the
 * message. EKS clusters get their token minted in-process through an `eks:` entry instead.
 */
export async function targetFromKubeconfig(cluster: string, source: KubeconfigText, contextName: string | undefined): Promise<ClusterTarget> {
  const kubeconfig = parseKubeconfig(cluster, source);
  const fixContext = `set clusters.${cluster}.kubeconfig.context in config.yaml`;
  const name = contextName ?? kubeconfig['current-context'];
  if (!name) throw new ClusterConfigInvalid(cluster, `${source.origin} has no current-context: ${fixContext}`);
  const context = kubeconfig.contexts.find((entry) => entry.name === name)?.context;
  if (!context) {
    const known = kubeconfig.contexts.map((entry) => entry.name).join(', ') || 'none';
    throw new ClusterConfigInvalid(cluster, `context "${name}" is not in ${source.origin} (contexts: ${known}): ${fixContext}`);
  }
  const server = kubeconfig.clusters.find((entry) => entry.name === context.cluster)?.cluster;
  if (!server) throw new ClusterConfigInvalid(cluster, `context "${name}" of ${source.origin} names cluster "${context.cluster}", which is not in the file`);
  const user = context.user ? kubeconfig.users.find((entry) => entry.name === context.user)?.user : {};
  if (!user) throw new ClusterConfigInvalid(cluster, `context "${name}" of ${source.origin} names user "${context.user}", which is not in the file`);
  const userName = context.user ?? '(none)';
  refuseUnrunnable(cluster, userName, user);

  const inline = (what: string, path: string) => readInline(cluster, what, source.baseDir, path);
  const caData = server['certificate-authority-data'] ?? (server['certificate-authority'] ? await inline(`certificate-authority of cluster "${context.cluster}"`, server['certificate-authority']) : undefined);
  const tokenFile = user.tokenFile ?? user['token-file'];
  const auth: ClusterAuth = {
    token: user.token ?? (tokenFile ? (await readRaw(cluster, `token file of user "${userName}"`, source.baseDir, tokenFile)).trim() : undefined),
    certData: user['client-certificate-data'] ?? (user['client-certificate'] ? await inline(`client-certificate of user "${userName}"`, user['client-certificate']) : undefined),
    keyData: user['client-key-data'] ?? (user['client-key'] ? await inline(`client-key of user "${userName}"`, user['client-key']) : undefined),
    username: user.username,
    password: user.password,
  };
  if (Boolean(auth.certData) !== Boolean(auth.keyData)) {
    throw new ClusterConfigInvalid(cluster, `user "${userName}" of ${source.origin} has a client certificate without its key, or a key without its certificate`);
  }
  return {
    server: server.server,
    ...(caData ? { caData } : {}),
    skipTlsVerify: server['insecure-skip-tls-verify'] ?? false,
    ...(server['tls-server-name'] ? { tlsServerName: server['tls-server-name'] } : {}),
    ...(server['proxy-url'] ? { proxyUrl: server['proxy-url'] } : {}),
    ...(context.namespace ? { namespace: context.namespace } : {}),
    identity: `kubeconfig user "${userName}"`,
    auth: dropEmpty(auth),
    ...(user.as ? { impersonate: { user: user.as, groups: user['as-groups'] ?? [] } } : {}),
  };
}

function parseKubeconfig(cluster: string, source: KubeconfigText) {
  let document: unknown;
  try {
    document = parse(source.text);
  } catch (err) {
    // The parser's own message quotes the offending line, which may hold a token: give the line number only.
    const line = err instanceof YAMLError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
    throw new ClusterConfigInvalid(cluster, `${source.origin} is not valid YAML${line}`);
  }
  const parsed = kubeconfigSchema.safeParse(document);
  if (!parsed.success) {
    // Paths and expectations only: zod's messages do not echo the received values.
    const problems = parsed.error.issues.map(describeIssue);
    throw new ClusterConfigInvalid(cluster, `${source.origin} is not a kubeconfig: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function refuseUnrunnable(cluster: string, userName: string, user: KubeconfigUser): void {
  const fix = 'use an `eks:` cluster entry (token minted in-process) or a kubeconfig user with a token or client certificate';
  if (user.exec) {
    const command = user.exec.command ? ` (${user.exec.command})` : '';
    throw new ClusterConfigInvalid(cluster, `user "${userName}" uses an exec credential plugin${command}, which the Lambda cannot run; ${fix}`);
  }
  if (user['auth-provider']) {
    throw new ClusterConfigInvalid(cluster, `user "${userName}" uses the auth-provider "${user['auth-provider'].name ?? 'unknown'}", which the Lambda cannot run; ${fix}`);
  }
  if (user['as-uid'] || user['as-user-extra']) {
    throw new ClusterConfigInvalid(cluster, `user "${userName}" impersonates with as-uid or as-user-extra, which Fluxline cannot pass on to every client; use as/as-groups`);
  }
}

async function readRaw(cluster: string, what: string, baseDir: string | undefined, path: string): Promise<string> {
  const resolved = baseDir && !isAbsolute(path) ? join(baseDir, path) : path;
  try {
    return await readFile(resolved, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).name;
    throw new ClusterConfigInvalid(cluster, `the ${what} (${resolved}) cannot be read (${code}): inline it as *-data in the kubeconfig`, { cause: err });
  }
}

async function readInline(cluster: string, what: string, baseDir: string | undefined, path: string): Promise<string> {
  return Buffer.from(await readRaw(cluster, what, baseDir, path)).toString('base64');
}

function dropEmpty(auth: ClusterAuth): ClusterAuth {
  const kept: ClusterAuth = {};
  for (const key of ['token', 'certData', 'keyData', 'username', 'password'] as const) {
    const value = auth[key];
    if (value) kept[key] = value;
  }
  return kept;
}
