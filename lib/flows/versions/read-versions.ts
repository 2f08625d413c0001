import { clusterAccess, type Config } from '../../core/config';
import { listDeployments, resolveClusterAccess, type ClusterAccessDeps } from '../../adapters/kube';
import { logger } from '../../core/log';
import type { DeploymentRecord, Store } from '../../adapters/store';
import { appNameOf, versionOf, type VersionSource } from './app-version';
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

/** One app (Deployment) on one cluster. */
export interface AppOnCluster {
  app: string;
  cluster: string;
  namespace: string;
  deployment: string;
  version?: string;
  versionSource?: VersionSource;
  ready: number;
  desired: number;
  /** When Flux last reported a successful deployment of an object named like the app on this cluster. */
  deployedAt?: string;
}

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

/** The newest successful deployment per app name (Kustomization or HelmRelease of that name). */
function lastDeployments(records: DeploymentRecord[]): Map<string, string> {
  const newest = new Map<string, string>();
  for (const record of records) {
    const seen = newest.get(record.name);
    if (!seen || seen < record.at) newest.set(record.name, record.at);
  }
  return newest;
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
  return perNamespace
    .flat()
    .map((deployment) => {
      const app = appNameOf(deployment);
      const version = versionOf(deployment);
      const at = deployed.get(app);
      return {
        app,
        cluster: target.name,
        namespace: deployment.namespace,
        deployment: deployment.name,
        ...(version ? { version: version.version, versionSource: version.source } : {}),
        ready: deployment.readyReplicas,
        desired: deployment.replicas,
        ...(at ? { deployedAt: at } : {}),
      };
    })
    .filter((row) => !options.app || row.app === options.app);
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
