import type { KubeObject } from '../../adapters/kube';
import type { KubectlResource } from '../../core/executors';

type Row = { header: string[]; cells: (object: KubeObject) => string[] };

const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((node, key) => (node && typeof node === 'object' && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined), value);
const num = (value: unknown) => (typeof value === 'number' ? value : 0);
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** kubectl's own columns for the kinds people ask about most; the rest show their name and creation time (no age: a table must not depend on the clock). */
const COLUMNS: Partial<Record<KubectlResource, Row>> = {
  pods: {
    header: ['READY', 'STATUS', 'RESTARTS'],
    cells: (pod) => {
      const statuses = at(pod, 'status', 'containerStatuses');
      const list: unknown[] = Array.isArray(statuses) ? statuses : [];
      const containers = at(pod, 'spec', 'containers');
      const total = Array.isArray(containers) ? containers.length : list.length;
      return [`${list.filter((s) => at(s, 'ready') === true).length}/${total}`, str(at(pod, 'status', 'phase')), String(list.reduce<number>((sum, s) => sum + num(at(s, 'restartCount')), 0))];
    },
  },
  deployments: {
    header: ['READY', 'UP-TO-DATE', 'AVAILABLE'],
    cells: (d) => [`${num(at(d, 'status', 'readyReplicas'))}/${typeof at(d, 'spec', 'replicas') === 'number' ? num(at(d, 'spec', 'replicas')) : 1}`, String(num(at(d, 'status', 'updatedReplicas'))), String(num(at(d, 'status', 'availableReplicas')))],
  },
  services: {
    header: ['TYPE', 'CLUSTER-IP', 'PORTS'],
    cells: (s) => {
      const ports = at(s, 'spec', 'ports');
      return [str(at(s, 'spec', 'type')) || 'ClusterIP', str(at(s, 'spec', 'clusterIP')), (Array.isArray(ports) ? (ports as unknown[]) : []).map((p) => `${num(at(p, 'port'))}/${str(at(p, 'protocol')) || 'TCP'}`).join(',')];
    },
  },
};

const FALLBACK: Row = { header: ['CREATED'], cells: (object) => [str(at(object, 'metadata', 'creationTimestamp'))] };

/** `kubectl get` as a table: NAMESPACE when several were read, NAME, then the kind's columns. */
export function objectTable(resource: KubectlResource, objects: readonly KubeObject[], withNamespace: boolean): { header: string[]; rows: string[][] } {
  const columns = COLUMNS[resource] ?? FALLBACK;
  return {
    header: [...(withNamespace ? ['NAMESPACE'] : []), 'NAME', ...columns.header],
    rows: objects.map((object) => [...(withNamespace ? [object.metadata.namespace ?? ''] : []), object.metadata.name, ...columns.cells(object)]),
  };
}
