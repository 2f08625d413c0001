import type { ClusterTarget } from './cluster-target';

/**
 * A minimal, self-contained kubeconfig for the flux CLI: one cluster, one user, one context, every
 * credential inline, no exec plugin, no path to any other file. The worker writes it to
 * /tmp/<job>/kubeconfig with mode 0600 and points KUBECONFIG at it.
 *
 * Impersonation goes in the user entry as `as` / `as-groups` (clientcmd v1 AuthInfo), which client-go —
 * and so flux — turns into Impersonate-User / Impersonate-Group headers on every request; flux users
 * cannot override it because the command allowlist refuses `--as*` flags (DESIGN §5).
 *
 * Written as JSON, which is YAML: client-go reads a kubeconfig through sigs.k8s.io/yaml, which takes it as
 * it is, and a cold worker does not spend ~8 ms of the job's first moments (issue #20) in a YAML writer.
 */
export function renderKubeconfig(cluster: string, target: ClusterTarget): string {
  const { auth, impersonate } = target;
  const user = 'fluxline';
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: {
          server: target.server,
          ...(target.caData ? { 'certificate-authority-data': target.caData } : {}),
          ...(target.skipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
          ...(target.tlsServerName ? { 'tls-server-name': target.tlsServerName } : {}),
          ...(target.proxyUrl ? { 'proxy-url': target.proxyUrl } : {}),
        },
      },
    ],
    users: [
      {
        name: user,
        user: {
          ...(auth.token ? { token: auth.token } : {}),
          ...(auth.certData ? { 'client-certificate-data': auth.certData } : {}),
          ...(auth.keyData ? { 'client-key-data': auth.keyData } : {}),
          ...(auth.username ? { username: auth.username } : {}),
          ...(auth.password ? { password: auth.password } : {}),
          ...(impersonate ? { as: impersonate.user } : {}),
          ...(impersonate?.groups.length ? { 'as-groups': impersonate.groups } : {}),
        },
      },
    ],
    contexts: [{ name: cluster, context: { cluster, user, ...(target.namespace ? { namespace: target.namespace } : {}) } }],
    'current-context': cluster,
    preferences: {},
  };
  return JSON.stringify(kubeconfig, null, 2);
}
