import type { DeploymentRecord } from '../../adapters/store';
import type { AppOnCluster, ClusterReading } from '../versions';
import { NothingToRollBack } from './errors';
import type { NamedAs } from './version-readings';

/** Kustomization deployments carry a commit (`main@sha1:…`, or the bare sha) as their version: not an app version. */
export const isCommit = (version: string) => /^[0-9a-f]{40}$/.test(version) || /sha1:[0-9a-f]{7,}/.test(version) || /^[\w.-]+\/[0-9a-f]{40}$/.test(version);

/** The app on the environment, as the cluster reading shows it (the first Deployment, when several). */
export function appOn(readings: ClusterReading[], environment: string): AppOnCluster | undefined {
  const reading = readings.find((r) => r.cluster === environment);
  return reading?.status === 'ok' ? reading.apps[0] : undefined;
}

export interface RollbackTarget {
  version: string;
  current: string;
  as: NamedAs;
  /** Where it was read: the HelmRelease's release history on the cluster, or Flux's events. */
  from: 'release-history' | 'events';
}

/**
 * The version to roll back to. A HelmRelease's own release history (status.history) comes first: it is
 * what helm-controller really released, values-only upgrades included. Else the deployments Flux's
 * events recorded for the owning object on that environment (never another kind or namespace of the
 * same name), newest first, skipping commit shas unless a promote recorded the image tag with them.
 */
export function rollbackVersion(app: string, environment: string, running: AppOnCluster | undefined, history: DeploymentRecord[]): RollbackTarget {
  const releases = running?.owner?.kind === 'HelmRelease' ? (running.ownerState?.releases ?? []) : [];
  const [current, ...older] = releases;
  if (current?.chartVersion) {
    const previous = older.find((release) => release.chartVersion && release.chartVersion !== current.chartVersion);
    if (previous?.chartVersion) return { version: previous.chartVersion, current: current.chartVersion, as: 'chart', from: 'release-history' };
  }
  const owner = running?.owner;
  const mine = history.filter((d) => d.cluster === environment && (!owner || (d.kind === owner.kind && d.namespace === owner.namespace && d.name === owner.name)));
  const versions = mine.flatMap((d): { version: string; as: NamedAs }[] => {
    if (d.kind === 'HelmRelease') return [{ version: d.version, as: 'chart' }];
    // A Kustomization applies many apps: its tag counts only when recorded for this one.
    const tag = d.appVersion && (!d.app || d.app === app) ? d.appVersion : isCommit(d.version) ? undefined : d.version;
    return tag ? [{ version: tag, as: 'image' }] : [];
  });
  const [latest] = versions;
  if (!latest) {
    const why = mine.length > 0 ? 'Flux reported only commits for it there (a Kustomization revision is not a version), and its release history holds no earlier chart' : 'Flux has not reported any successful deployment of it there yet';
    throw new NothingToRollBack(app, environment, why);
  }
  const previous = versions.find((v) => v.version !== latest.version);
  if (!previous) throw new NothingToRollBack(app, environment, `every deployment recorded there is \`${latest.version}\`, the current one`);
  return { version: previous.version, current: latest.version, as: previous.as, from: 'events' };
}
