import type { RiskFlagId } from './risk-flag-ids';
import type { PolicyConfig } from './schema';

/**
 * The flags that need an admin for a diff of `repository` on `cluster`: a cluster or repository entry
 * replaces the default list (both: their union), so `prod: { adminApproval: [deletion, rbac] }` is read
 * as written. Lookups see own keys only (a cluster called `constructor` is not the prototype's).
 */
export function guardedFlags(policy: PolicyConfig, target: { repository: string; cluster: string }): Set<RiskFlagId> {
  const byCluster = Object.hasOwn(policy.clusters, target.cluster) ? policy.clusters[target.cluster]?.adminApproval : undefined;
  const byRepository = Object.hasOwn(policy.repositories, target.repository) ? policy.repositories[target.repository]?.adminApproval : undefined;
  if (!byCluster && !byRepository) return new Set(policy.adminApproval);
  return new Set([...(byCluster ?? []), ...(byRepository ?? [])]);
}
