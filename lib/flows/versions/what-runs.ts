import type { DeploymentSummary, FluxObjectRef, FluxObjectState } from '../../adapters/kube';
import { appNameOf, CHART_LABEL, chartVersionOf, imageRepositoryOf, imageTagOf, VERSION_LABEL, type VersionSource } from './app-version';

/**
 * What runs where, for one app (Deployment) on one cluster: the one model `/flux list`, `/flux diff ENV`,
 * promote, rollback and history read. Versions come from the Flux object that owns the Deployment (its
 * origin labels) before the Deployment's own labels: a chart's version and its app's version are two
 * different things (ingress-nginx chart 4.10.0 ships controller 1.10.0), and only the HelmRelease's
 * `status.history` says both.
 */
export interface AppOnCluster {
  app: string;
  cluster: string;
  namespace: string;
  deployment: string;
  /** The app's own version: the release's appVersion, the `app.kubernetes.io/version` label, else the image tag. */
  version?: string;
  versionSource?: VersionSource;
  /** The Helm chart's version, for an app a chart deploys. */
  chartVersion?: string;
  /** Digest of the values the release was made with (HelmRelease status.history[0].configDigest). */
  configDigest?: string;
  /** The images of the pod template, in order. */
  images: string[];
  /** The Flux object that applies it, when its origin labels name one. */
  owner?: FluxObjectRef;
  /** What the owner says (absent when it could not be read: then `ownerProblem` says why). */
  ownerState?: Omit<FluxObjectState, 'ref'>;
  ownerProblem?: string;
  ready: number;
  desired: number;
  /** When Flux last reported a successful deployment of the owner (else of an object named like the app). */
  deployedAt?: string;
}

/** The tag of the image named after the app (the container whose repository ends with `/<app>`), else the first. */
export function appImageTag(app: string, images: string[]): string | undefined {
  const image = images.find((candidate) => imageRepositoryOf(candidate).endsWith(`/${app}`) || imageRepositoryOf(candidate) === app) ?? images[0];
  return image ? imageTagOf(image) : undefined;
}

/** Builds the model from a Deployment and what its owner says. */
export function appOnCluster(cluster: string, deployment: DeploymentSummary, owner: { ref?: FluxObjectRef; state?: FluxObjectState; problem?: string }): Omit<AppOnCluster, 'deployedAt'> {
  const app = appNameOf(deployment);
  const release = owner.state?.releases[0];
  const labelChart = deployment.labels[CHART_LABEL] ? chartVersionOf(deployment.labels[CHART_LABEL]) : undefined;
  const chartVersion = release?.chartVersion ?? labelChart;
  const label = deployment.labels[VERSION_LABEL]?.trim();
  const tag = appImageTag(app, deployment.images);
  const version: { version: string; source: VersionSource } | undefined = release?.appVersion
    ? { version: release.appVersion, source: 'release' }
    : label
      ? { version: label, source: 'label' }
      : tag
        ? { version: tag, source: 'image' }
        : undefined;
  const { ref: _ref, ...state } = owner.state ?? { ref: undefined };
  return {
    app,
    cluster,
    namespace: deployment.namespace,
    deployment: deployment.name,
    ...(version ? { version: version.version, versionSource: version.source } : {}),
    ...(chartVersion ? { chartVersion } : {}),
    ...(release?.configDigest ? { configDigest: release.configDigest } : {}),
    images: deployment.images,
    ...(owner.ref ? { owner: owner.ref } : {}),
    ...(owner.state ? { ownerState: state as Omit<FluxObjectState, 'ref'> } : {}),
    ...(owner.problem ? { ownerProblem: owner.problem } : {}),
    ready: deployment.readyReplicas,
    desired: deployment.replicas,
  };
}

/** `4.10.0` for a chart, as people write it in a table cell. */
export const chartCell = (app: Pick<AppOnCluster, 'chartVersion'>) => app.chartVersion ?? '—';
export const versionCell = (app: Pick<AppOnCluster, 'version'>) => app.version ?? '?';

/**
 * Why the owner has not converged on what its source offers: a Kustomization whose applied revision is
 * not its source's revision, a HelmRelease whose last attempt is not what it runs, or not Ready.
 */
export function pendingChange(app: AppOnCluster): string | undefined {
  const state = app.ownerState;
  if (!state) return undefined;
  if (state.suspended) return 'suspended';
  if (app.owner?.kind === 'Kustomization' && state.sourceRevision && state.appliedRevision !== state.sourceRevision) {
    return `applied ${state.appliedRevision ?? 'nothing'}, source has ${state.sourceRevision}`;
  }
  if (app.owner?.kind === 'HelmRelease' && state.attemptedRevision && state.appliedRevision && state.attemptedRevision !== state.appliedRevision) {
    return `runs chart ${state.appliedRevision}, last attempt ${state.attemptedRevision}`;
  }
  const behind = chartBehindSource(state);
  if (behind) return behind;
  if (state.ready?.status === 'False') return `not Ready: ${state.ready.reason ?? 'unknown reason'}`;
  return undefined;
}

const shortDigest = (digest: string) => digest.slice(0, 'sha256:'.length + 12);

/**
 * A HelmRelease with `spec.chartRef` whose source offers another chart than the one it runs: an
 * OCIRepository's `<tag>@sha256:<digest>` against the release's chart version and `ociDigest` (the same tag
 * pushed again is another chart), a HelmChart's chart version against the release's. helm-controller
 * upgrades on its next run unless something stops it, so the answer says so rather than show "same".
 */
function chartBehindSource(state: Omit<FluxObjectState, 'ref'>): string | undefined {
  const source = state.chartSource;
  const [running] = state.releases;
  if (!source?.viaChartRef || !state.sourceRevision || !running?.chartVersion) return undefined;
  const at = state.sourceRevision.lastIndexOf('@');
  const offered = { version: at > 0 ? state.sourceRevision.slice(0, at) : state.sourceRevision, digest: at > 0 ? state.sourceRevision.slice(at + 1) : undefined };
  const where = `${source.kind} ${source.namespace}/${source.name}`;
  if (offered.version.replace(/^v/, '') !== running.chartVersion.replace(/^v/, '')) return `runs chart ${running.chartVersion}, ${where} offers ${offered.version}`;
  if (offered.digest && running.ociDigest && offered.digest !== running.ociDigest) {
    return `runs chart ${running.chartVersion} @${shortDigest(running.ociDigest)}, ${where} offers ${offered.version} @${shortDigest(offered.digest)} (the tag was pushed again)`;
  }
  return undefined;
}
