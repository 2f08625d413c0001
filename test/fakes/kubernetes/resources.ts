/**
 * The resources the fake API server serves, their names (plural.group, group/version), its Status
 * objects, and discovery (/api, /api/v1, /apis, /apis/<group>/<version>) as client-node and kubectl read it.
 */

export interface Resource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Built-in types: list items carry no apiVersion/kind in JSON responses. */
  builtin?: boolean;
  /** Cluster-scoped (nodes): no namespace in its path or its objects. */
  clusterScoped?: boolean;
  /** What discovery lists as its short names (`kubectl get po`). */
  shortNames?: string[];
}

/** metrics-server's aggregated API (`kubectl top`): served unless the fake is started with `metrics: false`. */
export const METRICS_GROUP = 'metrics.k8s.io';

export const RESOURCES: Resource[] = [
  { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', plural: 'gitrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'OCIRepository', plural: 'ocirepositories' },
  { group: 'helm.toolkit.fluxcd.io', version: 'v2', kind: 'HelmRelease', plural: 'helmreleases' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmRepository', plural: 'helmrepositories' },
  { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'HelmChart', plural: 'helmcharts' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImagePolicy', plural: 'imagepolicies' },
  { group: 'image.toolkit.fluxcd.io', version: 'v1', kind: 'ImageUpdateAutomation', plural: 'imageupdateautomations' },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', builtin: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', builtin: true, shortNames: ['deploy'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', builtin: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', builtin: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', builtin: true, shortNames: ['po'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', builtin: true, shortNames: ['svc'] },
  // metrics-server: usage of pods (per container) and nodes, read by `kubectl top`.
  { group: METRICS_GROUP, version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', builtin: true },
  { group: METRICS_GROUP, version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', builtin: true, clusterScoped: true },
];

export const qualified = (resource: Resource) => (resource.group ? `${resource.plural}.${resource.group}` : resource.plural);
export const groupVersion = (resource: Resource) => (resource.group ? `${resource.group}/${resource.version}` : resource.version);

export function resourceOf(apiVersion: string, kind: string): Resource {
  const resource = RESOURCES.find((candidate) => groupVersion(candidate) === apiVersion && candidate.kind === kind);
  if (!resource) throw new Error(`the fake API server does not serve ${kind} ${apiVersion}; add it to RESOURCES in test/fakes/kubernetes/resources.ts`);
  return resource;
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

/** The discovery documents of the API server's root paths, or undefined for any other path. */
export function rootDiscovery(pathname: string, host: string, resources: readonly Resource[] = RESOURCES): unknown {
  if (pathname === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: host }] };
  if (pathname === '/api/v1') return { kind: 'APIResourceList', groupVersion: 'v1', resources: [...resources.filter((r) => r.group === '').map((r) => ({ name: r.plural, singularName: r.kind.toLowerCase(), namespaced: !r.clusterScoped, kind: r.kind, verbs: ['get', 'list'], ...(r.shortNames ? { shortNames: r.shortNames } : {}) })), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }] };
  if (pathname === '/apis') {
    const groupNames = [...new Set(resources.map((resource) => resource.group).filter(Boolean))];
    const groupList = groupNames.map((name) => {
      const versions = [...new Set(resources.filter((resource) => resource.group === name).map((resource) => resource.version))].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions, preferredVersion: versions[0] };
    });
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupList };
  }
  return undefined;
}

/** The APIResourceList of one group version. */
export function groupVersionDiscovery(served: Resource[], group: string, version: string): unknown {
  const resources = served.map((resource) => ({ name: resource.plural, singularName: resource.kind.toLowerCase(), namespaced: !resource.clusterScoped, kind: resource.kind, verbs: resource.group === METRICS_GROUP ? ['get', 'list'] : ['get', 'list', 'patch'], ...(resource.shortNames ? { shortNames: resource.shortNames } : {}) }));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources };
}
