import { clusterAccess, type Config } from '../../core/config';
import { fluxOwnerOf, listDeployments, readFluxObject, resolveClusterAccess, type ClusterAccessDeps, type ClusterConnection, type FluxObjectRef, type FluxObjectState } from '../../adapters/kube';
import { logger } from '../../core/log';
import type { DeploymentRecord, Store } from '../../adapters/store';
import { appNameOf } from './app-version';
import { appOnCluster, type AppOnCluster } from './what-runs';
import { ClusterTimeout } from './errors';

export interface VersionsDeps extends ClusterAccessDeps {
  config: Config;
  store: Pick<Store, 'latestDeploymentsOn'>;
}

/** A cluster to read, and who to read it as (the channel binding's impersonation, DESIGN §5). */
export interface ClusterToRead {
  name: string;
  impersonate?: { user?: string; group?: string };
}

export type { AppOnCluster } from './what-runs';

export type ClusterReading =
  | { cluster: string; status: 'ok'; apps: AppOnCluster[] }
  | { cluster: string; status: 'down'; reason: string; errorName: string };

export interface ReadVersionsOptions {
  /** Only this app. */
  app?: string;
  /**
   * A cluster that has not answered by then is reported down: one slow cluster must not hold the whole
   * answer until the worker's own timeout.
   * @default 8000
   */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 8_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ClusterTimeout(ms)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const refKey = (ref: Pick<FluxObjectRef, 'kind' | 'namespace' | 'name'>) => `${ref.kind}/${ref.namespace}/${ref.name}`;

/** The newest successful deployment per Flux object (`Kind/ns/name`) and, for apps without an owner, per name. */
function lastDeployments(records: DeploymentRecord[]): Map<string, string> {
  const newest = new Map<string, string>();
  for (const record of records) {
    for (const key of [refKey(record), record.name]) {
      const seen = newest.get(key);
      if (!seen || seen < record.at) newest.set(key, record.at);
    }
  }
  return newest;
}

/** Each owner once, however many Deployments it applies; a failure is kept as the reason, not thrown. */
async function readOwners(connection: ClusterConnection, refs: FluxObjectRef[]): Promise<Map<string, { state?: FluxObjectState; problem?: string }>> {
  const unique = [...new Map(refs.map((ref) => [refKey(ref), ref])).values()];
  const read = await Promise.all(
    unique.map(async (ref): Promise<[string, { state?: FluxObjectState; problem?: string }]> => {
      try {
        return [refKey(ref), { state: await readFluxObject(connection, ref) }];
      } catch (err) {
        // Without the owner the Deployment still says what it runs; the answer says the owner was not read.
        logger.warn('could not read the Flux object that owns an app', { cluster: connection.cluster, object: refKey(ref), error: err as Error });
        return [refKey(ref), { problem: (err as Error).message.split('\n')[0] ?? 'unreadable' }];
      }
    }),
  );
  return new Map(read);
}

async function readCluster(deps: VersionsDeps, target: ClusterToRead, options: ReadVersionsOptions): Promise<AppOnCluster[]> {
  const access = clusterAccess(deps.config, target.name);
  if (!access) throw new Error(`cluster ${target.name} is not in config.yaml`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const connection = await resolveClusterAccess(target.name, access, deps, { requestTimeoutMs: timeoutMs, ...(target.impersonate ? { impersonate: target.impersonate } : {}) });
  const [perNamespace, deployed] = await Promise.all([
    Promise.all(deps.config.apps.namespaces.map((namespace) => listDeployments(connection, namespace))),
    deps.store.latestDeploymentsOn(target.name).then(lastDeployments, (err: unknown) => {
      // The table is ours: when it fails the versions are still worth showing, without the times.
      logger.warn('could not read the deployment history for list', { cluster: target.name, error: err as Error });
      return new Map<string, string>();
    }),
  ]);
  const deployments = perNamespace.flat().filter((deployment) => !options.app || appNameOf(deployment) === options.app);
  const owners = await readOwners(connection, deployments.flatMap((deployment) => fluxOwnerOf(deployment.labels) ?? []));
  return deployments.map((deployment) => {
    const ref = fluxOwnerOf(deployment.labels);
    const owner = ref ? owners.get(refKey(ref)) : undefined;
    const row = appOnCluster(target.name, deployment, { ...(ref ? { ref } : {}), ...owner });
    const at = (ref ? deployed.get(refKey(ref)) : undefined) ?? deployed.get(row.app);
    return { ...row, ...(at ? { deployedAt: at } : {}) };
  });
}

/**
 * Reads the Deployments of `apps.namespaces` on every cluster in parallel. A cluster that fails or does
 * not answer in time is reported with the reason, never dropped: "no apps" and "could not look" must
 * not look the same.
 */
export async function readVersions(deps: VersionsDeps, clusters: ClusterToRead[], options: ReadVersionsOptions = {}): Promise<ClusterReading[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return Promise.all(
    clusters.map(async (target): Promise<ClusterReading> => {
      try {
        return { cluster: target.name, status: 'ok', apps: await withTimeout(readCluster(deps, target, options), timeoutMs) };
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        logger.warn('cluster could not be read for list', { cluster: target.name, error });
        return { cluster: target.name, status: 'down', reason: error.message.split('\n')[0] ?? error.name, errorName: error.name };
      }
    }),
  );
}
