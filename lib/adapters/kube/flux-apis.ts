import './runtime-compat';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { KubeError } from './errors';

/**
 * The Flux custom resources Fluxline reads on every cluster: Kustomizations (diff targets, list, history)
 * and their GitRepository sources. Without their CRDs (Flux not installed, or an older Flux serving only
 * v1beta versions) each read answers 404, and every diff fails with it.
 */
export const FLUX_APIS = [
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories' },
] as const;

/** A 404 on a list across namespaces: the API server does not serve that resource at all. */
class ApiNotServed extends KubeError {}

/**
 * Lists one object of each Flux API across namespaces, as the worker does: the cluster answers, and the
 * credentials and RBAC let it read them. Resolves to the CRDs the cluster does not serve
 * (`kustomizations.kustomize.toolkit.fluxcd.io/v1`); throws the KubeError of any other failure.
 */
export async function missingFluxApis(connection: ClusterConnection): Promise<string[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const missing: string[] = [];
  for (const { group, version, plural } of FLUX_APIS) {
    const crd = `${plural}.${group}/${version}`;
    try {
      await callCluster(connection, () => api.listClusterCustomObject({ group, version, plural, limit: 1 }), (cause) => new ApiNotServed(`${crd} is not served`, { cause, cluster: connection.cluster }));
    } catch (err) {
      if (!(err instanceof ApiNotServed)) throw err;
      missing.push(crd);
    }
  }
  return missing;
}
