import type { DeploymentRecord } from '../../adapters/store';
import { readVersions, type ClusterToRead, type VersionsDeps } from '../versions';
import { NothingToRollBack, UnknownVersion } from './errors';

/** Kustomization deployments carry a commit (`main@sha1:…`, or the bare sha) as their version: not an app version. */
const isCommit = (version: string) => /^[0-9a-f]{40}$/.test(version) || /sha1:[0-9a-f]{7,}/.test(version) || /^[\w.-]+\/[0-9a-f]{40}$/.test(version);

export interface KnownVersionsDeps extends VersionsDeps {
  store: VersionsDeps['store'] & { deploymentsOfApp(app: string, limit?: number): Promise<DeploymentRecord[]> };
}

/**
 * Refuses a version Fluxline has never seen: one that neither Flux reported deployed (on any cluster)
 * nor runs now on a cluster that answers. A typo such as `6.5.40` would otherwise be committed, and
 * only fail minutes later when Flux cannot find the chart or image.
 */
export async function ensureKnownVersion(deps: KnownVersionsDeps, app: string, version: string, clusters: ClusterToRead[]): Promise<void> {
  const history = (await deps.store.deploymentsOfApp(app, 200)).map((d) => d.version).filter((v) => !isCommit(v));
  if (history.includes(version)) return;
  const readings = await readVersions(deps, clusters, { app });
  const running = readings.flatMap((reading) => (reading.status === 'ok' ? reading.apps.flatMap((row) => (row.version ? [row.version] : [])) : []));
  if (running.includes(version)) return;
  throw new UnknownVersion(app, version, [...new Set([...running, ...history])].slice(0, 10));
}

/**
 * The version to roll back to: the newest successful deployment on `environment` whose version differs
 * from the latest one (history from Flux's events, newest first).
 */
export async function rollbackVersion(store: KnownVersionsDeps['store'], app: string, environment: string): Promise<{ version: string; current: string; at: string }> {
  const history = (await store.deploymentsOfApp(app, 200)).filter((d) => d.cluster === environment && !isCommit(d.version));
  const [latest] = history;
  if (!latest) throw new NothingToRollBack(app, environment, 'Flux has not reported any successful deployment of it there yet');
  const previous = history.find((d) => d.version !== latest.version);
  if (!previous) throw new NothingToRollBack(app, environment, `every deployment recorded there is \`${latest.version}\`, the current one`);
  return { version: previous.version, current: latest.version, at: previous.at };
}
