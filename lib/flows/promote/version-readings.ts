import type { DeploymentRecord } from '../../adapters/store';
import { imageTagOf, type ClusterReading } from '../versions';
import { READING_OF, type VersionTarget } from './version-targets';

/** What a version the user names can mean: a chart version, an app version (shipped by a chart), an image tag. */
export type NamedAs = 'chart' | 'app' | 'image';

/** One way to carry out `app@version`: which values to change, to what, and why that reading. */
export interface VersionChoice {
  as: NamedAs;
  /** What is written (for an app version: the chart version that ships it). */
  write: string;
  targets: VersionTarget[];
  why: string;
}

/** Every version of an app Fluxline has seen, by what it is. */
export interface KnownVersions {
  charts: Set<string>;
  /** App version -> the chart versions seen shipping it (HelmRelease status.history). */
  chartsOfApp: Map<string, Set<string>>;
  tags: Set<string>;
}

const isCommit = (version: string) => /^[0-9a-f]{40}$/.test(version) || /sha1:[0-9a-f]{7,}/.test(version) || /^[\w.-]+\/[0-9a-f]{40}$/.test(version);

function ship(known: KnownVersions, appVersion: string | undefined, chartVersion: string | undefined): void {
  if (!appVersion || !chartVersion) return;
  const charts = known.chartsOfApp.get(appVersion) ?? new Set<string>();
  charts.add(chartVersion);
  known.chartsOfApp.set(appVersion, charts);
}

/** Gathers what runs on the clusters that answered (and their release histories) and what Flux reported. */
export function knownVersions(app: string, readings: ClusterReading[], history: DeploymentRecord[]): KnownVersions {
  const known: KnownVersions = { charts: new Set(), chartsOfApp: new Map(), tags: new Set() };
  for (const row of readings.flatMap((reading) => (reading.status === 'ok' ? reading.apps : []))) {
    if (row.app !== app) continue;
    if (row.chartVersion) known.charts.add(row.chartVersion);
    if (row.version && row.versionSource === 'release') ship(known, row.version, row.chartVersion);
    else if (row.version) known.tags.add(row.version);
    for (const image of row.images) {
      const tag = imageTagOf(image);
      if (tag) known.tags.add(tag);
    }
    for (const release of row.ownerState?.releases ?? []) {
      if (release.chartVersion) known.charts.add(release.chartVersion);
      ship(known, release.appVersion, release.chartVersion);
    }
  }
  for (const record of history) {
    if (record.kind === 'HelmRelease') {
      known.charts.add(record.version);
      ship(known, record.appVersion, record.version);
    } else if (!isCommit(record.version)) known.tags.add(record.version);
    if (record.kind === 'Kustomization' && record.appVersion) known.tags.add(record.appVersion);
  }
  return known;
}

export function knownList(known: KnownVersions): string[] {
  return [...new Set([...known.charts, ...known.chartsOfApp.keys(), ...known.tags])];
}

/**
 * The readings of `version` that the file's targets can carry out. A chart target takes a known chart
 * version, or a known app version through the chart that shipped it; an image target takes a known tag
 * (or app version, with the `v` its tags may carry). When no chart version is known at all (an app whose
 * Deployment carries no chart label and no HelmRelease owns it), a running version is taken as is.
 */
export function versionChoices(version: string, targets: VersionTarget[], known: KnownVersions): VersionChoice[] {
  const chartTargets = targets.filter((target) => READING_OF[target.kind] === 'chart');
  const imageTargets = targets.filter((target) => READING_OF[target.kind] === 'image');
  const lenient = known.charts.size === 0 && known.chartsOfApp.size === 0;
  const choices: VersionChoice[] = [];
  if (chartTargets.length > 0) {
    if (known.charts.has(version) || (lenient && known.tags.has(version))) choices.push({ as: 'chart', write: version, targets: chartTargets, why: `chart version ${version}` });
    for (const chart of known.chartsOfApp.get(version) ?? []) {
      if (chart !== version) choices.push({ as: 'app', write: chart, targets: chartTargets, why: `app version ${version}, which chart ${chart} ships` });
    }
  }
  if (imageTargets.length > 0) {
    if (known.tags.has(version) || known.chartsOfApp.has(version) || (lenient && known.charts.has(version))) choices.push({ as: 'image', write: version, targets: imageTargets, why: `image tag ${version}` });
    else if (known.tags.has(`v${version}`)) choices.push({ as: 'image', write: `v${version}`, targets: imageTargets, why: `image tag v${version}` });
  }
  return choices;
}
