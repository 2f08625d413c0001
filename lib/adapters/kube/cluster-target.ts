/**
 * Everything needed to talk to one API server as one identity, with every credential inline. Both the
 * client-node KubeConfig and the kubeconfig written for the flux CLI are built from this one value, so
 * the two cannot disagree about which server, CA, identity or impersonation a job uses.
 */
export interface ClusterTarget {
  /** API server URL, e.g. https://ABC.gr7.eu-west-1.eks.amazonaws.com. */
  server: string;
  /** Base64 PEM of the CA that signed the server's certificate. */
  caData?: string;
  skipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  /** Default namespace of the kubeconfig context. */
  namespace?: string;
  /** Name of the kubeconfig user, or a description of the identity; for error messages only. */
  identity: string;
  auth: ClusterAuth;
  impersonate?: Impersonation;
}

/** Credentials, inline. Client certificate and token may both be present (client-go sends both). */
export interface ClusterAuth {
  token?: string;
  /** Base64 PEM. */
  certData?: string;
  /** Base64 PEM. */
  keyData?: string;
  username?: string;
  password?: string;
}

/**
 * Who the API server should act as (Kubernetes user impersonation). `user` is always set: the API server
 * refuses Impersonate-Group without Impersonate-User ("requested ... without impersonating a user").
 */
export interface Impersonation {
  user: string;
  groups: string[];
}
