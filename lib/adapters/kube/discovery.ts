// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { AppsV1Api, BatchV1Api, CoreV1Api, NetworkingV1Api, type V1APIResourceList } from '@kubernetes/client-node';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { KubeApiError } from './errors';

/** What discovery says of one resource (`kubectl api-resources`' columns). */
export interface ServedResource {
  name: string;
  shortNames: string[];
  groupVersion: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

/** The group versions Fluxline reads, each by client-node's own API class for it (`GET /api/v1`, `/apis/<group>/<version>`). */
const DISCOVERY = {
  v1: (connection: ClusterConnection) => connection.kubeConfig.makeApiClient(CoreV1Api).getAPIResources(),
  'apps/v1': (connection: ClusterConnection) => connection.kubeConfig.makeApiClient(AppsV1Api).getAPIResources(),
  'batch/v1': (connection: ClusterConnection) => connection.kubeConfig.makeApiClient(BatchV1Api).getAPIResources(),
  'networking.k8s.io/v1': (connection: ClusterConnection) => connection.kubeConfig.makeApiClient(NetworkingV1Api).getAPIResources(),
} satisfies Record<string, (connection: ClusterConnection) => Promise<V1APIResourceList>>;
type DiscoverableGroupVersion = keyof typeof DISCOVERY;
const discoverable = (groupVersion: string): groupVersion is DiscoverableGroupVersion => Object.hasOwn(DISCOVERY, groupVersion);

/**
 * The resources the API server serves in these group versions (subresources such as `pods/log` left out).
 * A group version the server does not serve is an empty list, as kubectl leaves it out of its table; one
 * Fluxline has no API class for is not asked.
 */
export async function servedResources(connection: ClusterConnection, groupVersions: readonly string[]): Promise<ServedResource[]> {
  const lists = await Promise.all(
    groupVersions.filter(discoverable).map(async (groupVersion) => {
      const notServed = (cause: unknown) => new KubeApiError(connection.cluster, 404, `${groupVersion} is not served`, { cause });
      try {
        const list = await callCluster(connection, () => DISCOVERY[groupVersion](connection), notServed);
        return (list.resources ?? [])
          .filter((resource) => !resource.name.includes('/'))
          .map((resource) => ({ name: resource.name, shortNames: resource.shortNames ?? [], groupVersion, namespaced: resource.namespaced, kind: resource.kind, verbs: resource.verbs }));
      } catch (err) {
        if (err instanceof KubeApiError && err.status === 404) return [];
        throw err;
      }
    }),
  );
  return lists.flat();
}
