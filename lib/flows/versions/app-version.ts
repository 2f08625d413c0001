import type { DeploymentSummary } from '../../adapters/kube';

/** Well-known labels (kubernetes.io/docs/concepts/overview/working-with-objects/common-labels). */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const VERSION_LABEL = 'app.kubernetes.io/version';
/** Helm's chart label, `{{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}` in charts made by `helm create`. */
export const CHART_LABEL = 'helm.sh/chart';

/** Where a version was read: a HelmRelease's release history, a label, the `helm.sh/chart` label, an image tag. */
export type VersionSource = 'release' | 'label' | 'chart' | 'image';

/** The app a Deployment belongs to: its `app.kubernetes.io/name` label, else its own name. */
export function appNameOf(deployment: Pick<DeploymentSummary, 'name' | 'labels'>): string {
  return deployment.labels[NAME_LABEL]?.trim() || deployment.name;
}

/**
 * The chart version of a `helm.sh/chart` value. Chart names may contain dashes, so the version is the
 * part after the last dash that starts a semver (`my-app-2-1.2.3` -> `1.2.3`), with Helm's `_` put back to `+`.
 */
export function chartVersionOf(chartLabel: string): string | undefined {
  const semver = /-(v?\d+\.\d+\.\d+(?:[-_][0-9A-Za-z.-]+)?)$/.exec(chartLabel);
  const loose = semver ?? /-(v?\d+(?:\.\d+)*)$/.exec(chartLabel);
  return loose?.[1]?.replace(/_/g, '+');
}

/** The tag of an image reference (`ghcr.io/org/app:6.5.4@sha256:…` -> `6.5.4`); a digest only -> its first 12 hex. */
export function imageTagOf(image: string): string | undefined {
  const [withoutDigest = '', digest] = image.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon >= 0) return withoutDigest.slice(colon + 1) || undefined;
  if (digest) return digest.replace(/^sha256:/, '').slice(0, 12);
  return 'latest';
}

/** The repository part of an image reference, without tag and digest. */
export function imageRepositoryOf(image: string): string {
  const [withoutDigest = ''] = image.split('@', 1);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon >= 0 ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * What version a Deployment runs, by precedence: the `app.kubernetes.io/version` label, the version in
 * the `helm.sh/chart` label, the tag of the app's image (the container whose image ends with `/<app>`,
 * else the first).
 */
export function versionOf(deployment: Pick<DeploymentSummary, 'name' | 'labels' | 'images'>): { version: string; source: VersionSource } | undefined {
  const label = deployment.labels[VERSION_LABEL]?.trim();
  if (label) return { version: label, source: 'label' };
  const chart = deployment.labels[CHART_LABEL] ? chartVersionOf(deployment.labels[CHART_LABEL]) : undefined;
  if (chart) return { version: chart, source: 'chart' };
  const app = appNameOf(deployment);
  const image = deployment.images.find((candidate) => imageRepositoryOf(candidate).endsWith(`/${app}`) || imageRepositoryOf(candidate) === app) ?? deployment.images[0];
  const tag = image ? imageTagOf(image) : undefined;
  return tag ? { version: tag, source: 'image' } : undefined;
}
