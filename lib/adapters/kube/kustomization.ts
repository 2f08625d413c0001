import * as z from '../../core/validation';
import type { ClusterConnection } from './connection';
import { conditionsSchema, readyCondition, type ReadyCondition } from './conditions';
import { readCustomObject, type CustomResource } from './custom-objects';
import { KustomizationNotFound } from './errors';

export const KUSTOMIZATION: CustomResource = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', kind: 'Kustomization' };

// https://fluxcd.io/flux/components/kustomize/kustomizations/ — only the fields Fluxline reads.
const kustomizationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({
    path: z.optional(z.string()),
    sourceRef: z.looseObject({ kind: z.string().check(z.minLength(1)), name: z.string().check(z.minLength(1)), namespace: z.optional(z.string()) }),
    suspend: z.optional(z.boolean()),
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
}

export async function getKustomization(connection: ClusterConnection, ref: { namespace: string; name: string }): Promise<Kustomization> {
  const object = await readCustomObject(connection, KUSTOMIZATION, ref, kustomizationSchema, (cause) => new KustomizationNotFound(connection.cluster, ref.namespace, ref.name, { cause }));
  const { spec, status } = object;
  const ready = readyCondition(status?.conditions);
  return {
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    path: spec.path || './',
    // "Namespace of the referent, defaults to the namespace of the Kubernetes resource object that contains the reference."
    sourceRef: { kind: spec.sourceRef.kind, name: spec.sourceRef.name, namespace: spec.sourceRef.namespace || object.metadata.namespace },
    suspended: spec.suspend ?? false,
    ...(ready ? { ready } : {}),
    ...(status?.lastAppliedRevision ? { lastAppliedRevision: status.lastAppliedRevision } : {}),
  };
}
