import { nodeUsage, podUsage, servedResources, type ClusterConnection, type Usage } from '../../adapters/kube';
import { KUBECTL_RESOURCES, type ExecutorBlock } from '../../core/executors';
import type { KubectlDiscoveryRequest, KubectlRequest } from './kubectl-args';

/** kubectl's own units: millicores, and memory in Mi (`kubectl top` prints `12m`, `34Mi`). */
const cores = (usage: Usage) => `${Math.round(usage.cpuMillis)}m`;
const mebibytes = (usage: Usage) => `${Math.round(usage.memoryBytes / 2 ** 20)}Mi`;

/**
 * `kubectl top pods|nodes`: usage from metrics.k8s.io, read namespace by namespace within the allow-list (as
 * `get -A` does), never for the whole cluster; sorted by name, so a table does not depend on the API's order.
 */
export async function topTable(cluster: ClusterConnection, request: KubectlRequest): Promise<{ header: string[]; rows: string[][]; usage: Usage[] }> {
  const usage =
    request.resource === 'nodes' ? await nodeUsage(cluster) : (await Promise.all(request.namespaces.map((namespace) => podUsage(cluster, namespace)))).flat();
  const chosen = usage.filter((entry) => request.name === undefined || entry.name === request.name).sort((a, b) => `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`));
  const withNamespace = request.namespaces.length > 1;
  return {
    header: [...(withNamespace ? ['NAMESPACE'] : []), 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
    rows: chosen.map((entry) => [...(withNamespace ? [entry.namespace ?? ''] : []), entry.name, cores(entry), mebibytes(entry)]),
    usage: chosen,
  };
}

/**
 * `kubectl api-resources`, narrowed to the resources this channel may read: what discovery says of each (short
 * names, API version, namespaced, kind), and which of them this cluster does not serve.
 */
export async function apiResourcesBlocks(cluster: ClusterConnection, request: KubectlDiscoveryRequest): Promise<ExecutorBlock[]> {
  const groupVersionOf = (name: keyof typeof KUBECTL_RESOURCES) => {
    const resource = KUBECTL_RESOURCES[name];
    return (resource.group ? `${resource.group}/${resource.version}` : resource.version);
  };
  const served = await servedResources(cluster, [...new Set(request.resources.map(groupVersionOf))]);
  const rows = request.resources.flatMap((name) => {
    const found = served.find((resource) => resource.name === name && resource.groupVersion === groupVersionOf(name));
    return found ? [[found.name, found.shortNames.join(','), found.groupVersion, String(found.namespaced), found.kind]] : [];
  });
  const missing = request.resources.filter((name) => !rows.some((row) => row[0] === name));
  return [
    { type: 'table', header: ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows },
    ...(missing.length ? [{ type: 'text' as const, text: `Allowed here but not served by this cluster: ${missing.join(', ')}.` }] : []),
  ];
}
