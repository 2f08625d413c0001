import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterTarget } from './cluster-target';
import { FluxlineKubeConfig } from './fluxline-kube-config';
import { renderKubeconfig } from './kubeconfig-yaml';

/** A resolved cluster: a client-node KubeConfig for reads and patches, and a kubeconfig for the flux CLI. */
export interface ClusterConnection {
  /** The config.yaml name of the cluster. */
  readonly cluster: string;
  /** API server URL, for messages. */
  readonly server: string;
  /** Who the requests authenticate as, for messages ("kubeconfig user "ci"", "the Lambda's IAM role"). */
  readonly identity: string;
  /** Ready for `makeApiClient`; impersonation, token refresh and the request timeout apply to every API. */
  readonly kubeConfig: KubeConfig;
  /** The identity the API server acts as, when impersonating (DESIGN §5 channel bindings). */
  readonly impersonate?: { user?: string; group?: string };
  /**
   * A minimal, self-contained kubeconfig (one cluster, user and context; inline CA and credentials; no
   * exec plugin; no file paths) for the flux CLI. It carries the current token: for EKS that token is
   * at least 5 minutes from expiry when the connection is resolved.
   */
  kubeconfigYaml(): string;
}

export interface ConnectionOptions {
  requestTimeoutMs: number;
  /** For tokens that expire (EKS): returns a currently valid token, minting a new one when needed. */
  bearerToken?: () => Promise<string>;
  /** Aborts every request of the connection (ClusterAccessOptions.signal). */
  signal?: AbortSignal;
}

export function createConnection(cluster: string, target: ClusterTarget, options: ConnectionOptions): ClusterConnection {
  let current = target;
  const refreshToken = options.bearerToken;
  // The flux kubeconfig is rendered synchronously, so it uses the last token the connection saw.
  const bearerToken = refreshToken
    ? async () => {
        const token = await refreshToken();
        current = { ...current, auth: { ...current.auth, token } };
        return token;
      }
    : undefined;
  const kubeConfig = new FluxlineKubeConfig({
    requestTimeoutMs: options.requestTimeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(target.impersonate ? { impersonate: target.impersonate } : {}),
    ...(bearerToken ? { bearerToken } : {}),
  });
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: cluster,
        server: target.server,
        caData: target.caData,
        // client-node 2.x refuses an http: server unless insecure-skip-tls-verify is set, although there is
        // no TLS to skip (config.js createDispatcherOptions); kubectl and flux accept it as written.
        skipTLSVerify: target.skipTlsVerify || target.server.startsWith('http:'),
        tlsServerName: target.tlsServerName,
        proxyUrl: target.proxyUrl,
      },
    ],
    users: [{ name: 'fluxline', ...target.auth }],
    contexts: [{ name: cluster, cluster, user: 'fluxline', namespace: target.namespace }],
    currentContext: cluster,
  });
  return {
    cluster,
    server: target.server,
    identity: target.identity,
    kubeConfig,
    ...(target.impersonate ? { impersonate: { user: target.impersonate.user, ...(target.impersonate.groups[0] ? { group: target.impersonate.groups[0] } : {}) } } : {}),
    kubeconfigYaml: () => renderKubeconfig(cluster, current),
  };
}
