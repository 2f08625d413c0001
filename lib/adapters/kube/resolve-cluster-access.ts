import type { ClusterAccess } from '../../core/config';
import { createConnection, type ClusterConnection } from './connection';
import { eksTarget, type EksDeps } from './eks-target';
import { effectiveImpersonation, type ImpersonationRequest } from './impersonation';
import { targetFromKubeconfig } from './kubeconfig-target';
import { readKubeconfig } from './read-kubeconfig';

export interface ClusterAccessDeps extends EksDeps {
  /** A decrypted SSM parameter: the kubeconfig of `kubeconfig: { ssm }` clusters. */
  readParameter(name: string): Promise<string>;
}

export interface ClusterAccessOptions {
  /** From the Slack channel binding (DESIGN §5): the user/group the API server should act as. */
  impersonate?: ImpersonationRequest;
  /**
   * Timeout of each client-node request, so that an unreachable cluster fails the job in seconds rather
   * than at the Lambda timeout.
   * @default 5000
   */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/**
 * Turns a config.yaml cluster entry into a connection: a kubeconfig file (+ context) or one held in SSM,
 * or an EKS cluster whose token is minted in-process. Errors are ClusterConfigInvalid (fix config.yaml or
 * the kubeconfig), ClusterAuthFailed (AWS credentials) or ClusterUnreachable (EKS API).
 */
export async function resolveClusterAccess(cluster: string, access: ClusterAccess, deps: ClusterAccessDeps, options: ClusterAccessOptions = {}): Promise<ClusterConnection> {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if ('eks' in access) {
    const impersonate = effectiveImpersonation(cluster, options.impersonate, undefined);
    const { target, bearerToken } = await eksTarget(cluster, access.eks, deps, impersonate);
    return createConnection(cluster, target, { requestTimeoutMs, bearerToken });
  }
  const source = access.kubeconfig;
  const text = await readKubeconfig(cluster, source, (name) => deps.readParameter(name));
  const target = await targetFromKubeconfig(cluster, text, 'context' in source ? source.context : undefined);
  const impersonate = effectiveImpersonation(cluster, options.impersonate, target.impersonate);
  return createConnection(cluster, { ...target, ...(impersonate ? { impersonate } : {}) }, { requestTimeoutMs });
}
