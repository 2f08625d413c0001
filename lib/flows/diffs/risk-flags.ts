import { RISK_FLAG_IDS, type RiskFlagId } from '../../core/config';
import type { DiffObject, DiffSummary, FieldChange } from '../../adapters/flux';

/** One risk a diff carries: which objects raise it, and for images and charts what changes (`old → new`). */
export interface RiskFlag {
  id: RiskFlagId;
  label: string;
  objects: string[];
  /** `Deployment/apps/web web: ghcr.io/acme/web:1.4.2 → 1.5.0`; never a Secret value (flux masks them anyway). */
  details: string[];
}

const LABELS: Record<RiskFlagId, [one: string, many: string]> = {
  'crd-deleted': ['CRD deleted', 'CRDs deleted'],
  'namespace-deleted': ['Namespace deleted', 'Namespaces deleted'],
  'storage-deleted': ['volume or StorageClass deleted', 'volumes or StorageClasses deleted'],
  rbac: ['RBAC change', 'RBAC changes'],
  'protected-namespace': ['object in a protected namespace', 'objects in protected namespaces'],
  'crd-changed': ['CRD created or changed', 'CRDs created or changed'],
  'scaled-to-zero': ['scaled to 0', 'scaled to 0'],
  deletion: ['deletion', 'deletions'],
  'namespace-created': ['Namespace created', 'Namespaces created'],
  secret: ['Secret change', 'Secret changes'],
  'chart-version': ['chart version change', 'chart version changes'],
  image: ['image change', 'image changes'],
};

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
/** dyff names list entries by their `name`: `spec.template.spec.containers.web.image`. */
const IMAGE_PATH = /(?:^|\.)(?:initContainers|containers|ephemeralContainers)\.([^.]+)\.image$/u;
/** Deployment, StatefulSet, ReplicaSet (`spec.replicas`), HPA bounds (`spec.minReplicas`, `spec.maxReplicas`). */
const REPLICAS_PATH = /^spec\.(?:replicas|minReplicas|maxReplicas)$/u;

export function objectName(ref: Pick<DiffObject, 'kind' | 'namespace' | 'name'>): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

function valueChanges(object: DiffObject, path: RegExp): (FieldChange & { match: RegExpExecArray })[] {
  return object.changes.flatMap((change) => {
    const match = change.change === 'value' ? path.exec(change.path) : null;
    return match ? [{ ...change, match }] : [];
  });
}

/**
 * The risks of a diff, read from flux's own report (object lines and dyff blocks) and nothing else, in
 * severity order. Objects flux skipped change nothing and raise nothing. Created objects have no dyff
 * block, so an image or chart of a new object is not an image "change".
 */
export function riskFlags(summary: Pick<DiffSummary, 'objects'>, options: { protectedNamespaces: readonly string[] }): RiskFlag[] {
  const found = new Map<RiskFlagId, { objects: Set<string>; details: string[] }>();
  const raise = (id: RiskFlagId, object: DiffObject, detail?: string) => {
    const entry = found.get(id) ?? { objects: new Set<string>(), details: [] };
    entry.objects.add(objectName(object));
    if (detail) entry.details.push(detail);
    found.set(id, entry);
  };
  const protectedNamespaces = new Set(options.protectedNamespaces);
  for (const object of summary.objects) {
    if (object.action === 'skipped') continue;
    const deleted = object.action === 'deleted';
    if (deleted) raise('deletion', object);
    if (object.kind === 'CustomResourceDefinition') raise(deleted ? 'crd-deleted' : 'crd-changed', object);
    if (object.kind === 'Namespace' && object.action !== 'drifted') raise(deleted ? 'namespace-deleted' : 'namespace-created', object);
    if (deleted && (object.kind === 'PersistentVolumeClaim' || object.kind === 'StorageClass' || object.kind === 'PersistentVolume')) raise('storage-deleted', object);
    if (RBAC_KINDS.has(object.kind)) raise('rbac', object);
    // Name only: the values are masked by flux (`***`) and stay so.
    if (object.kind === 'Secret') raise('secret', object);
    const namespace = object.kind === 'Namespace' ? object.name : object.namespace;
    if (namespace !== undefined && protectedNamespaces.has(namespace)) raise('protected-namespace', object);
    for (const image of valueChanges(object, IMAGE_PATH)) raise('image', object, `${objectName(object)} ${image.match[1] ?? ''}: ${image.before ?? '?'} → ${image.after ?? '?'}`);
    if (object.kind === 'HelmRelease') {
      for (const chart of valueChanges(object, /^spec\.chart\.spec\.version$/u)) raise('chart-version', object, `${objectName(object)}: ${chart.before ?? '?'} → ${chart.after ?? '?'}`);
    }
    for (const replicas of valueChanges(object, REPLICAS_PATH)) {
      if (replicas.after === '0' && replicas.before !== '0') raise('scaled-to-zero', object, `${objectName(object)} ${replicas.path.slice('spec.'.length)}: ${replicas.before ?? '?'} → 0`);
    }
  }
  return RISK_FLAG_IDS.flatMap((id) => {
    const entry = found.get(id);
    if (!entry) return [];
    const [one, many] = LABELS[id];
    return [{ id, label: entry.objects.size === 1 ? one : many, objects: [...entry.objects], details: entry.details }];
  });
}

/** `3 deletions · 1 RBAC change · 2 image changes`: the one line shown above a diff, most severe first. */
export function flagsLine(flags: readonly RiskFlag[], guarded: ReadonlySet<RiskFlagId> = new Set()): string {
  return flags.map((flag) => `${flag.objects.length} ${flag.label}${guarded.has(flag.id) ? ' (needs an admin)' : ''}`).join(' · ');
}
