// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CustomObjectsApi } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { conditionsSchema, readyCondition, type ReadyCondition } from './conditions';
import { readCustomObject, type CustomResource } from './custom-objects';
import { KustomizationNotFound, UnexpectedKubernetesObject } from './errors';

export const KUSTOMIZATION: CustomResource = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', kind: 'Kustomization' };

// https://fluxcd.io/flux/components/kustomize/kustomizations/ — only the fields Fluxline reads.
const kustomizationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string(), labels: z.optional(z.record(z.string(), z.string())) }),
  spec: z.looseObject({
    path: z.optional(z.string()),
    sourceRef: z.looseObject({ kind: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)), namespace: z.optional(z.string()) }),
    suspend: z.optional(z.boolean()),
    serviceAccountName: z.optional(z.string()),
    kubeConfig: z.optional(z.looseObject({ secretRef: z.optional(z.looseObject({ name: z.string() })), configMapRef: z.optional(z.looseObject({ name: z.string() })) })),
    postBuild: z.optional(
      z.looseObject({ substituteFrom: z.optional(z.array(z.looseObject({ kind: z.string(), name: z.string(), optional: z.optional(z.boolean()) }))) }),
    ),
    decryption: z.optional(z.looseObject({ provider: z.string() })),
  }),
  status: z.optional(z.looseObject({ conditions: conditionsSchema, lastAppliedRevision: z.optional(z.string()) })),
});

export interface Kustomization {
  namespace: string;
  name: string;
  /** spec.path, relative to the source's root; Flux defaults it to the root. */
  path: string;
  sourceRef: { kind: string; name: string; namespace: string };
  suspended: boolean;
  ready?: ReadyCondition;
  /** status.lastAppliedRevision, e.g. "main@sha1:1a2b…". */
  lastAppliedRevision?: string;
  /** spec.serviceAccountName: the controller applies as `system:serviceaccount:<namespace>:<name>`. */
  serviceAccountName?: string;
  /** spec.kubeConfig: the controller applies to another cluster, named by this Secret or ConfigMap. */
  remoteCluster?: string;
  /** The Secret or ConfigMap of spec.kubeConfig, in the Kustomization's namespace. */
  kubeConfigRef?: { kind: 'Secret' | 'ConfigMap'; name: string };
  /** spec.postBuild.substituteFrom: the Secrets and ConfigMaps whose values are substituted into the manifests. */
  substituteFrom: { kind: string; name: string; optional: boolean }[];
  /** spec.decryption.provider (sops): encrypted values the diff can only compare by key. */
  decryption?: string;
  /** The Kustomization that applied this one (its `kustomize.toolkit.fluxcd.io/name` and `/namespace` labels). */
  appliedBy?: { namespace: string; name: string };
}

export async function getKustomization(connection: ClusterConnection, ref: { namespace: string; name: string }): Promise<Kustomization> {
  const object = await readCustomObject(connection, KUSTOMIZATION, ref, kustomizationSchema, (cause) => new KustomizationNotFound(connection.cluster, ref.namespace, ref.name, { cause }));
  return kustomizationOf(object);
}

/**
 * Every Kustomization on the cluster, in all namespaces: where a PR's diff targets are looked for. One that
 * does not parse (another API version's leftovers, a hand-made object) is left out rather than failing the list.
 */
export async function listKustomizations(connection: ClusterConnection): Promise<Kustomization[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const body = await callCluster<unknown>(connection, () => api.listClusterCustomObject({ group: KUSTOMIZATION.group, version: KUSTOMIZATION.version, plural: KUSTOMIZATION.plural }));
  const list = listSchema.safeParse(body);
  if (!list.success) throw new UnexpectedKubernetesObject(connection.cluster, 'the Kustomization list', list.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return list.data.items.flatMap((item) => {
    const parsed = kustomizationSchema.safeParse(item);
    return parsed.success ? [kustomizationOf(parsed.data)] : [];
  });
}

const listSchema = z.looseObject({ items: z.array(z.unknown()) });

function kustomizationOf(object: z.infer<typeof kustomizationSchema>): Kustomization {
  const { spec, status } = object;
  const ready = readyCondition(status?.conditions);
  const labels = object.metadata.labels ?? {};
  const parentName = labels['kustomize.toolkit.fluxcd.io/name'];
  const parentNamespace = labels['kustomize.toolkit.fluxcd.io/namespace'];
  const remote = spec.kubeConfig ? (spec.kubeConfig.secretRef ? `Secret ${spec.kubeConfig.secretRef.name}` : spec.kubeConfig.configMapRef ? `ConfigMap ${spec.kubeConfig.configMapRef.name}` : 'spec.kubeConfig') : undefined;
  return {
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    path: spec.path || './',
    // "Namespace of the referent, defaults to the namespace of the Kubernetes resource object that contains the reference."
    sourceRef: { kind: spec.sourceRef.kind, name: spec.sourceRef.name, namespace: spec.sourceRef.namespace || object.metadata.namespace },
    suspended: spec.suspend ?? false,
    ...(ready ? { ready } : {}),
    ...(status?.lastAppliedRevision ? { lastAppliedRevision: status.lastAppliedRevision } : {}),
    ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
    ...(remote ? { remoteCluster: remote } : {}),
    ...(spec.kubeConfig?.secretRef ? { kubeConfigRef: { kind: 'Secret' as const, name: spec.kubeConfig.secretRef.name } } : spec.kubeConfig?.configMapRef ? { kubeConfigRef: { kind: 'ConfigMap' as const, name: spec.kubeConfig.configMapRef.name } } : {}),
    substituteFrom: (spec.postBuild?.substituteFrom ?? []).map((ref) => ({ kind: ref.kind, name: ref.name, optional: ref.optional ?? false })),
    ...(spec.decryption ? { decryption: spec.decryption.provider } : {}),
    ...(parentName && parentNamespace ? { appliedBy: { namespace: parentNamespace, name: parentName } } : {}),
  };
}
