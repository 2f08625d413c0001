import type { KubeObject } from '../fakes/kubernetes';

/** See test/fixtures/flux-objects/README.md: shapes as helm-, kustomize- and source-controller write them. */

export interface ReleaseFixture {
  chartVersion: string;
  appVersion?: string;
  configDigest?: string;
  status?: 'deployed' | 'superseded' | 'failed';
  lastDeployed?: string;
  /** A chart from an OCIRepository (chartRef): the artifact's digest; `chartVersion` then carries `+<digest[:12]>`. */
  ociDigest?: string;
}

const digest = (seed: string) => `sha256:${Buffer.from(seed).toString('hex').padEnd(64, '0').slice(0, 64)}`;

/** A HelmRelease after helm-controller reconciled it; `releases` is status.history, newest first. */
export function helmRelease(
  name: string,
  namespace: string,
  options: { chart?: string; releases: ReleaseFixture[]; attempted?: string; chartRef?: { kind: string; name: string }; disableWait?: boolean; ready?: boolean },
): KubeObject {
  const chart = options.chart ?? name;
  const [current] = options.releases;
  const history = options.releases.map((release, index) => ({
    appVersion: release.appVersion,
    chartName: chart,
    chartVersion: release.chartVersion,
    configDigest: release.configDigest ?? digest(`values-${name}`),
    digest: digest(`${name}-${release.chartVersion}-${index}`),
    firstDeployed: '2026-10-01T08:00:00Z',
    lastDeployed: release.lastDeployed ?? `2026-11-${String(20 - index).padStart(2, '0')}T10:00:00Z`,
    name,
    namespace,
    status: release.status ?? (index === 0 ? 'deployed' : 'superseded'),
    version: options.releases.length - index,
    ...(release.ociDigest ? { ociDigest: release.ociDigest } : {}),
  }));
  const revision = current?.chartVersion ?? '';
  const ready = options.ready ?? true;
  return {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace, generation: 3, labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } },
    spec: {
      interval: '10m',
      ...(options.chartRef ? { chartRef: options.chartRef } : { chart: { spec: { chart, version: revision, sourceRef: { kind: 'HelmRepository', name: chart, namespace: 'flux-system' } } } }),
      ...(options.disableWait ? { install: { disableWait: true }, upgrade: { disableWait: true } } : {}),
    },
    status: {
      conditions: [
        {
          lastTransitionTime: '2026-11-20T10:00:02Z',
          message: ready ? `Helm upgrade succeeded for release ${namespace}/${name}.v${options.releases.length} with chart ${chart}@${revision}` : `Helm upgrade failed for release ${namespace}/${name} with chart ${chart}@${options.attempted ?? revision}: context deadline exceeded`,
          observedGeneration: 3,
          reason: ready ? 'UpgradeSucceeded' : 'UpgradeFailed',
          status: ready ? 'True' : 'False',
          type: 'Ready',
        },
        { lastTransitionTime: '2026-11-20T10:00:02Z', message: `Helm upgrade succeeded for release ${namespace}/${name}.v${options.releases.length} with chart ${chart}@${revision}`, observedGeneration: 3, reason: 'UpgradeSucceeded', status: 'True', type: 'Released' },
      ],
      helmChart: `flux-system/${namespace}-${name}`,
      history,
      lastAttemptedConfigDigest: history[0]?.configDigest,
      lastAttemptedGeneration: 3,
      lastAttemptedReleaseAction: 'upgrade',
      lastAttemptedRevision: options.attempted ?? revision,
      ...(current?.ociDigest ? { lastAttemptedRevisionDigest: current.ociDigest } : {}),
      observedGeneration: 3,
      storageNamespace: namespace,
    },
  };
}

/** One snapshot of a Kustomization's `status.history` (kustomize-controller v1.7+, fluxcd/pkg apis/meta `Snapshot`). */
export interface BuildFixture {
  /** The seed of the digest of the built manifests (`sha256:<hex>`). */
  build: string;
  revision: string;
  firstReconciled: string;
  lastReconciled: string;
  status?: 'ReconciliationSucceeded' | 'ReconciliationFailed' | 'HealthCheckFailed';
  total?: number;
}

export const buildDigest = (seed: string) => digest(`build:${seed}`);

/** A Kustomization after kustomize-controller applied `applied`; `builds` is status.history, newest first. */
export function kustomization(name: string, options: { applied: string; attempted?: string; wait?: boolean; healthChecks?: boolean; source?: string; builds?: BuildFixture[] }): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system', generation: 1 },
    spec: {
      interval: '10m0s',
      path: `./apps/${name}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: options.source ?? 'flux-system' },
      ...(options.wait ? { wait: true } : {}),
      ...(options.healthChecks ? { healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: name }] } : {}),
    },
    status: {
      conditions: [{ lastTransitionTime: '2026-11-20T10:00:00Z', message: `Applied revision: ${options.applied}`, observedGeneration: 1, reason: 'ReconciliationSucceeded', status: 'True', type: 'Ready' }],
      history: options.builds
        ? options.builds.map((b) => ({ digest: buildDigest(b.build), firstReconciled: b.firstReconciled, lastReconciled: b.lastReconciled, lastReconciledDuration: '1.284s', lastReconciledStatus: b.status ?? 'ReconciliationSucceeded', metadata: { revision: b.revision }, totalReconciliations: b.total ?? 1 }))
        : [{ digest: digest(options.applied), firstReconciled: '2026-11-20T10:00:00Z', lastReconciled: '2026-11-20T10:10:00Z', lastReconciledDuration: '1.2s', lastReconciledStatus: 'ReconciliationSucceeded', metadata: { revision: options.applied }, totalReconciliations: 2 }],
      inventory: { entries: [{ id: `${name}_${name}_apps_Deployment`, v: 'v1' }] },
      lastAppliedRevision: options.applied,
      lastAttemptedRevision: options.attempted ?? options.applied,
      observedGeneration: 1,
    },
  };
}

/** The GitRepository a Kustomization reads, offering `revision` now. */
export function gitRepository(revision: string, name = 'flux-system'): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '1m0s', ref: { branch: 'main' }, url: 'ssh://git@github.com/acme/fleet' },
    status: {
      artifact: { digest: digest(revision), lastUpdateTime: '2026-11-20T10:00:00Z', path: `gitrepository/flux-system/${name}/x.tar.gz`, revision, size: 1234, url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/${name}/x.tar.gz` },
      conditions: [{ lastTransitionTime: '2026-11-20T10:00:00Z', message: `stored artifact for revision '${revision}'`, observedGeneration: 1, reason: 'Succeeded', status: 'True', type: 'Ready' }],
    },
  };
}

/** The OCIRepository a HelmRelease's `chartRef` names, offering the chart artifact `revision` (`<tag>@sha256:<digest>`) now. */
export function ociRepository(name: string, namespace: string, revision: string): KubeObject {
  const [tag = revision, artifactDigest = digest(revision)] = revision.split('@');
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'OCIRepository',
    metadata: { name, namespace },
    spec: { interval: '5m', url: `oci://ghcr.io/stefanprodan/charts/${name}`, ref: { tag }, layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' } },
    status: {
      artifact: { digest: artifactDigest, lastUpdateTime: '2026-11-20T10:00:00Z', path: `ocirepository/${namespace}/${name}/${artifactDigest.slice(7)}.tar.gz`, revision, size: 14_020, url: `http://source-controller.flux-system.svc.cluster.local./ocirepository/${namespace}/${name}/${artifactDigest.slice(7)}.tar.gz` },
      conditions: [{ lastTransitionTime: '2026-11-20T10:00:00Z', message: `stored artifact for digest '${revision}'`, observedGeneration: 1, reason: 'Succeeded', status: 'True', type: 'Ready' }],
    },
  };
}

/** A HelmChart (source-controller) a HelmRelease's `chartRef` names, offering chart version `revision` now. */
export function helmChart(name: string, namespace: string, options: { chart: string; revision: string }): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'HelmChart',
    metadata: { name, namespace },
    spec: { chart: options.chart, interval: '5m', reconcileStrategy: 'ChartVersion', sourceRef: { kind: 'HelmRepository', name: options.chart }, version: '*' },
    status: {
      artifact: { digest: digest(`${options.chart}-${options.revision}`), lastUpdateTime: '2026-11-20T10:00:00Z', path: `helmchart/${namespace}/${name}/${options.chart}-${options.revision}.tgz`, revision: options.revision, size: 14_020, url: `http://source-controller.flux-system.svc.cluster.local./helmchart/${namespace}/${name}/${options.chart}-${options.revision}.tgz` },
      conditions: [{ lastTransitionTime: '2026-11-20T10:00:00Z', message: `pulled '${options.chart}' chart with version '${options.revision}'`, observedGeneration: 1, reason: 'ChartPullSucceeded', status: 'True', type: 'Ready' }],
      observedChartName: options.chart,
    },
  };
}

function workload(name: string, namespace: string, labels: Record<string, string>, images: string[], replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
    status: { replicas, readyReplicas: replicas, updatedReplicas: replicas },
  };
}

/** A Deployment a chart rendered: the chart's labels, and helm-controller's origin labels. */
export function chartDeployment(name: string, namespace: string, options: { app: string; release: string; chart: string; chartVersion: string; appVersion: string; images: string[] }): KubeObject {
  return workload(
    name,
    namespace,
    {
      'app.kubernetes.io/name': options.app,
      'app.kubernetes.io/instance': options.release,
      'app.kubernetes.io/version': options.appVersion,
      'app.kubernetes.io/managed-by': 'Helm',
      'helm.sh/chart': `${options.chart}-${options.chartVersion}`,
      'helm.toolkit.fluxcd.io/name': options.release,
      'helm.toolkit.fluxcd.io/namespace': namespace,
    },
    options.images,
  );
}

/** A Deployment kustomize-controller applied for the Kustomization `owner` (in flux-system). */
export function appliedDeployment(name: string, namespace: string, options: { owner: string; images: string[] }): KubeObject {
  return workload(name, namespace, { 'app.kubernetes.io/name': name, 'kustomize.toolkit.fluxcd.io/name': options.owner, 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' }, options.images);
}

/** An ImageUpdateAutomation as image-automation-controller keeps it (image.toolkit.fluxcd.io/v1, Flux 2.7). */
export function imageUpdateAutomation(name: string, options: { path: string; suspend?: boolean }): KubeObject {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImageUpdateAutomation',
    metadata: { name, namespace: 'flux-system' },
    spec: {
      interval: '30m',
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      git: { checkout: { ref: { branch: 'main' } }, commit: { author: { email: 'fluxcdbot@users.noreply.github.com', name: 'fluxcdbot' }, messageTemplate: 'Automated image update' }, push: { branch: 'main' } },
      update: { path: options.path, strategy: 'Setters' },
      ...(options.suspend ? { suspend: true } : {}),
    },
    status: { conditions: [{ lastTransitionTime: '2026-11-20T10:00:00Z', message: 'repository up-to-date', observedGeneration: 1, reason: 'Succeeded', status: 'True', type: 'Ready' }], lastAutomationRunTime: '2026-11-20T10:00:00Z' },
  };
}

/** An ImagePolicy after image-reflector-controller picked `tag` (image.toolkit.fluxcd.io/v1, Flux 2.7: `status.latestRef`). */
export function imagePolicy(name: string, options: { image: string; tag: string; digest?: string; range?: string }): KubeObject {
  return {
    apiVersion: 'image.toolkit.fluxcd.io/v1',
    kind: 'ImagePolicy',
    metadata: { name, namespace: 'flux-system', generation: 1 },
    spec: { imageRepositoryRef: { name }, policy: { semver: { range: options.range ?? '>=2.0.0' } } },
    status: {
      conditions: [{ lastTransitionTime: '2026-11-20T10:00:00Z', message: `Latest image tag for ${options.image} resolved to ${options.tag}`, observedGeneration: 1, reason: 'Succeeded', status: 'True', type: 'Ready' }],
      latestRef: { name: options.image, tag: options.tag, ...(options.digest ? { digest: options.digest } : {}) },
      observedGeneration: 1,
    },
  };
}
