import * as z from '../../core/validation';
import type { ClusterConnection } from './connection';
import { conditionsSchema, readyCondition, type ReadyCondition } from './conditions';
import { readCustomObject, type CustomResource } from './custom-objects';
import { FluxObjectNotFound } from './errors';

/** The Flux object that applies a workload, as its origin labels name it. */
export interface FluxObjectRef {
  kind: 'HelmRelease' | 'Kustomization';
  namespace: string;
  name: string;
}

const HELM_RELEASE: CustomResource = { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases', kind: 'HelmRelease' };
const KUSTOMIZATION: CustomResource = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', kind: 'Kustomization' };
const SOURCES: Record<string, CustomResource> = {
  GitRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories', kind: 'GitRepository' },
  OCIRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'ocirepositories', kind: 'OCIRepository' },
  Bucket: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'buckets', kind: 'Bucket' },
};
/** What a HelmRelease's `spec.chartRef` may name (helm-controller v1): an OCIRepository or a HelmChart. */
const CHART_SOURCES: Record<string, CustomResource> = {
  OCIRepository: SOURCES.OCIRepository as CustomResource,
  HelmChart: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmcharts', kind: 'HelmChart' },
};

/**
 * A chart version as a person writes it. For a chart from an OCIRepository, helm-controller appends the
 * artifact's digest as build metadata (`6.5.4+3b6cdcd5f4a7`, so a tag pushed again is a new release); the
 * digest itself is kept as `ociDigest`.
 */
const plainChartVersion = (version: string) => version.split('+')[0] ?? version;

/**
 * Origin labels (helm-controller's post-renderer and kustomize-controller's apply put them on every object
 * they manage). A chart applied by a HelmRelease that a Kustomization applies carries only the helm labels:
 * the HelmRelease is the owner that decides its version.
 */
export function fluxOwnerOf(labels: Record<string, string>): FluxObjectRef | undefined {
  const helm = [labels['helm.toolkit.fluxcd.io/name'], labels['helm.toolkit.fluxcd.io/namespace']];
  if (helm[0] && helm[1]) return { kind: 'HelmRelease', name: helm[0], namespace: helm[1] };
  const kustomize = [labels['kustomize.toolkit.fluxcd.io/name'], labels['kustomize.toolkit.fluxcd.io/namespace']];
  if (kustomize[0] && kustomize[1]) return { kind: 'Kustomization', name: kustomize[0], namespace: kustomize[1] };
  return undefined;
}

const sourceRefSchema = z.looseObject({ kind: z.string(), name: z.string(), namespace: z.optional(z.string()) });

// helm.toolkit.fluxcd.io/v2 HelmRelease (https://fluxcd.io/flux/components/helm/helmreleases/#history): the
// release history is newest first, at most 5 snapshots; `status` is Helm's (deployed, superseded, failed…).
const snapshotSchema = z.looseObject({
  chartName: z.optional(z.string()),
  chartVersion: z.optional(z.string()),
  appVersion: z.optional(z.string()),
  configDigest: z.optional(z.string()),
  digest: z.optional(z.string()),
  version: z.optional(z.int()),
  status: z.optional(z.string()),
  lastDeployed: z.optional(z.string()),
  ociDigest: z.optional(z.string()),
});
const helmReleaseSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({
    suspend: z.optional(z.boolean()),
    chart: z.optional(z.looseObject({ spec: z.optional(z.looseObject({ chart: z.optional(z.string()), version: z.optional(z.string()), sourceRef: z.optional(sourceRefSchema) })) })),
    chartRef: z.optional(sourceRefSchema),
    install: z.optional(z.looseObject({ disableWait: z.optional(z.boolean()) })),
    upgrade: z.optional(z.looseObject({ disableWait: z.optional(z.boolean()) })),
  }),
  status: z.optional(
    z.looseObject({
      conditions: conditionsSchema,
      history: z.optional(z.array(snapshotSchema)),
      lastAttemptedRevision: z.optional(z.string()),
      lastAttemptedConfigDigest: z.optional(z.string()),
    }),
  ),
});

// kustomize-controller v1.7+ (Flux 2.7) `status.history`: fluxcd/pkg apis/meta `Snapshot`, newest first, at most 5.
// One snapshot per digest of the built manifests and status (`History.Upsert`): a periodic reconciliation that
// builds the same manifests only bumps `lastReconciled` and `totalReconciliations`; a changed substitution or
// spec at the same Git revision is a new digest. `metadata` holds `revision` and `originRevision`.
const buildSnapshotSchema = z.looseObject({
  digest: z.optional(z.string()),
  firstReconciled: z.optional(z.string()),
  lastReconciled: z.optional(z.string()),
  lastReconciledStatus: z.optional(z.string()),
  totalReconciliations: z.optional(z.number()),
  metadata: z.optional(z.record(z.string(), z.string())),
});

// kustomize.toolkit.fluxcd.io/v1 Kustomization; `status.history` exists from kustomize-controller v1.7 (Flux 2.7).
const kustomizationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({
    sourceRef: sourceRefSchema,
    suspend: z.optional(z.boolean()),
    wait: z.optional(z.boolean()),
    healthChecks: z.optional(z.array(z.looseObject({ kind: z.string(), name: z.string() }))),
  }),
  status: z.optional(
    z.looseObject({
      conditions: conditionsSchema,
      lastAppliedRevision: z.optional(z.string()),
      lastAttemptedRevision: z.optional(z.string()),
      history: z.optional(z.array(buildSnapshotSchema)),
    }),
  ),
});

const sourceSchema = z.looseObject({ status: z.optional(z.looseObject({ artifact: z.optional(z.looseObject({ revision: z.optional(z.string()) })) })) });

/** One Helm release of a HelmRelease's history (status.history, newest first). */
export interface ReleaseSnapshot {
  chartName?: string;
  /** Without the `+<digest>` helm-controller appends for an OCI chart (see `ociDigest`). */
  chartVersion?: string;
  /** The OCI artifact's digest, for a chart from an OCIRepository. */
  ociDigest?: string;
  appVersion?: string;
  configDigest?: string;
  status?: string;
  lastDeployed?: string;
}

/** One build of a Kustomization's history (status.history, newest first). */
export interface BuildSnapshot {
  /** `sha256:<hex>` of the manifests kustomize-controller built (after substitutions and the spec's patches). */
  digest: string;
  revision?: string;
  firstReconciled?: string;
  lastReconciled?: string;
  /** `ReconciliationSucceeded`, or why the last attempt with this digest failed. */
  status?: string;
}

/**
 * What a Flux object says it runs: the one model `/flux list`, `/flux diff ENV`, promote and rollback read.
 * - `readiness`: what a success of this object proves. `health-checked`: the controller waited for the
 *   workloads (HelmRelease with wait, the default; Kustomization with `wait` or `healthChecks`);
 *   `applied`: only that the manifests were applied.
 */
export interface FluxObjectState {
  ref: FluxObjectRef;
  suspended: boolean;
  ready?: ReadyCondition;
  readiness: 'health-checked' | 'applied';
  /** HelmRelease: the release history, newest first (status.history). */
  releases: ReleaseSnapshot[];
  /** Kustomization: the builds it reconciled, newest first (status.history, kustomize-controller v1.7+). */
  builds: BuildSnapshot[];
  /** The revision applied: a HelmRelease's chart version, a Kustomization's `lastAppliedRevision`. */
  appliedRevision?: string;
  /** The revision the controller last tried (HelmRelease `lastAttemptedRevision`, Kustomization the same). */
  attemptedRevision?: string;
  /**
   * The revision its source offers now: a Kustomization's source's `status.artifact.revision`; for a
   * HelmRelease with `spec.chartRef`, its OCIRepository's (`<tag>@sha256:<digest>`) or HelmChart's (the chart version).
   */
  sourceRevision?: string;
  /** HelmRelease: where the chart comes from (`spec.chartRef` or `spec.chart.spec.sourceRef`). */
  chartSource?: { kind: string; namespace: string; name: string; viaChartRef: boolean };
}

/** The revision a source offers now; undefined when it cannot be read (the object's own state still counts). */
async function sourceRevisionOf(connection: ClusterConnection, resource: CustomResource, ref: { namespace: string; name: string }): Promise<string | undefined> {
  try {
    const source = await readCustomObject(connection, resource, ref, sourceSchema, (cause) => new FluxObjectNotFound(connection.cluster, resource.kind, ref.namespace, ref.name, { cause }));
    return source.status?.artifact?.revision;
  } catch {
    // Forbidden or gone: the comparison is shown without it rather than failing the whole reading.
    return undefined;
  }
}

/** Reads the Flux object (and for a Kustomization its source's revision); throws KubeError. */
export async function readFluxObject(connection: ClusterConnection, ref: FluxObjectRef): Promise<FluxObjectState> {
  const notFound = (cause: unknown) => new FluxObjectNotFound(connection.cluster, ref.kind, ref.namespace, ref.name, { cause });
  if (ref.kind === 'HelmRelease') {
    const object = await readCustomObject(connection, HELM_RELEASE, ref, helmReleaseSchema, notFound);
    const releases = (object.status?.history ?? []).map((snapshot) => ({
      ...(snapshot.chartName ? { chartName: snapshot.chartName } : {}),
      ...(snapshot.chartVersion ? { chartVersion: plainChartVersion(snapshot.chartVersion) } : {}),
      ...(snapshot.ociDigest ? { ociDigest: snapshot.ociDigest } : {}),
      ...(snapshot.appVersion ? { appVersion: snapshot.appVersion } : {}),
      ...(snapshot.configDigest ? { configDigest: snapshot.configDigest } : {}),
      ...(snapshot.status ? { status: snapshot.status } : {}),
      ...(snapshot.lastDeployed ? { lastDeployed: snapshot.lastDeployed } : {}),
    }));
    const ready = readyCondition(object.status?.conditions);
    const source = object.spec.chartRef ?? object.spec.chart?.spec?.sourceRef;
    const wait = !object.spec.upgrade?.disableWait && !object.spec.install?.disableWait;
    // A chart named by chartRef: its source's artifact revision is what it offers now (an OCIRepository's
    // `<tag>@sha256:<digest>`, a HelmChart's chart version).
    const chartSource = object.spec.chartRef && CHART_SOURCES[object.spec.chartRef.kind];
    const sourceRevision = chartSource && object.spec.chartRef ? await sourceRevisionOf(connection, chartSource, { namespace: object.spec.chartRef.namespace || ref.namespace, name: object.spec.chartRef.name }) : undefined;
    return {
      ref,
      suspended: object.spec.suspend ?? false,
      ...(ready ? { ready } : {}),
      readiness: wait ? 'health-checked' : 'applied',
      releases,
      builds: [],
      ...(releases[0]?.chartVersion ? { appliedRevision: releases[0].chartVersion } : {}),
      ...(object.status?.lastAttemptedRevision ? { attemptedRevision: plainChartVersion(object.status.lastAttemptedRevision) } : {}),
      ...(sourceRevision ? { sourceRevision } : {}),
      ...(source ? { chartSource: { kind: source.kind, name: source.name, namespace: source.namespace || ref.namespace, viaChartRef: Boolean(object.spec.chartRef) } } : {}),
    };
  }
  const object = await readCustomObject(connection, KUSTOMIZATION, ref, kustomizationSchema, notFound);
  const ready = readyCondition(object.status?.conditions);
  const { sourceRef } = object.spec;
  const sourceResource = SOURCES[sourceRef.kind];
  const sourceRevision = sourceResource ? await sourceRevisionOf(connection, sourceResource, { namespace: sourceRef.namespace || ref.namespace, name: sourceRef.name }) : undefined;
  return {
    ref,
    suspended: object.spec.suspend ?? false,
    ...(ready ? { ready } : {}),
    readiness: object.spec.wait || (object.spec.healthChecks?.length ?? 0) > 0 ? 'health-checked' : 'applied',
    releases: [],
    builds: (object.status?.history ?? []).flatMap((snapshot) =>
      snapshot.digest
        ? [
            {
              digest: snapshot.digest,
              ...(snapshot.metadata?.revision ? { revision: snapshot.metadata.revision } : {}),
              ...(snapshot.firstReconciled ? { firstReconciled: snapshot.firstReconciled } : {}),
              ...(snapshot.lastReconciled ? { lastReconciled: snapshot.lastReconciled } : {}),
              ...(snapshot.lastReconciledStatus ? { status: snapshot.lastReconciledStatus } : {}),
            },
          ]
        : [],
    ),
    ...(object.status?.lastAppliedRevision ? { appliedRevision: object.status.lastAppliedRevision } : {}),
    ...(object.status?.lastAttemptedRevision ? { attemptedRevision: object.status.lastAttemptedRevision } : {}),
    ...(sourceRevision ? { sourceRevision } : {}),
  };
}
