/**
 * The risk flags a diff report can raise (lib/flows/diffs/risk-flags.ts computes them), most severe first:
 * this order is the order they are shown in. config.yaml's `policy.adminApproval` names them.
 */
export const RISK_FLAG_IDS = [
  'crd-deleted',
  'namespace-deleted',
  'storage-deleted',
  'rbac',
  'protected-namespace',
  'crd-changed',
  'scaled-to-zero',
  'deletion',
  'namespace-created',
  'secret',
  'chart-version',
  'image',
] as const;

export type RiskFlagId = (typeof RISK_FLAG_IDS)[number];

/** Issue #18: deleting a CRD, a Namespace or a volume, and any RBAC change, need an admin by default. */
export const DEFAULT_ADMIN_APPROVAL: readonly RiskFlagId[] = ['crd-deleted', 'namespace-deleted', 'storage-deleted', 'rbac'];

/** Namespaces whose objects are flagged whatever changes in them, unless config names others. */
export const DEFAULT_PROTECTED_NAMESPACES: readonly string[] = ['kube-system', 'flux-system'];
