import type { Impersonation } from './cluster-target';
import { ClusterConfigInvalid } from './errors';

/** What a Slack channel binding asks for (config.yaml `slack.channels.<id>.user` / `.group`, DESIGN §5). */
export interface ImpersonationRequest {
  user?: string;
  group?: string;
}

/**
 * The user impersonated when a channel binding names only a group. Kubernetes requires a user alongside
 * any impersonated group; this name is distinctive so that no RBAC binding grants it anything by accident
 * and the audit log shows the request came from a Fluxline channel binding.
 */
export const GROUP_ONLY_IMPERSONATED_USER = 'fluxline:channel-binding';

/**
 * The channel binding wins over any `as`/`as-groups` of the kubeconfig: a channel must never get more
 * than its binding allows. Without a binding the kubeconfig's own impersonation is kept.
 */
export function effectiveImpersonation(cluster: string, requested: ImpersonationRequest | undefined, fromKubeconfig: Impersonation | undefined): Impersonation | undefined {
  const chosen = requested?.user || requested?.group ? { user: requested.user || GROUP_ONLY_IMPERSONATED_USER, groups: requested.group ? [requested.group] : [] } : fromKubeconfig;
  // client-node 2.x keeps request headers in a Record<string, string>, so it can send one Impersonate-Group
  // header only; a comma-joined value would be read by the API server as one group named "a, b".
  if (chosen && chosen.groups.length > 1) {
    throw new ClusterConfigInvalid(cluster, `impersonating ${chosen.groups.length} groups at once is not supported; impersonate one group`);
  }
  return chosen;
}
