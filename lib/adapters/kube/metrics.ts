// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CustomObjectsApi } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { KubeApiError, UnexpectedKubernetesObject } from './errors';

const SUFFIXES: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A Kubernetes quantity (`250m`, `12345678n`, `51200Ki`, `1.5Gi`, `2e3`) as a number of units; NaN when it is none. */
export function quantity(value: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(n|u|m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(value.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * (SUFFIXES[match[2] ?? ''] ?? Number.NaN);
}

const quantityText = z.string().check(z.refine((text) => Number.isFinite(quantity(text)), 'must be a Kubernetes quantity'));
/** One container's or node's usage as metrics-server reports it: Kubernetes quantities (`12345678n`, `250m`; `51200Ki`). */
const usageSchema = z.looseObject({ cpu: quantityText, memory: quantityText });
const podMetricsSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()) }),
  containers: z._default(z.array(z.looseObject({ name: z.string(), usage: usageSchema })), []),
});
const nodeMetricsSchema = z.looseObject({ metadata: z.looseObject({ name: z.string() }), usage: usageSchema });
const listOf = <T extends z.ZodMiniType>(item: T) => z.looseObject({ items: z.array(item) });

export interface Usage {
  name: string;
  namespace?: string;
  /** CPU in millicores. */
  cpuMillis: number;
  /** Memory in bytes. */
  memoryBytes: number;
}

const METRICS = { group: 'metrics.k8s.io', version: 'v1beta1' } as const;
function parsedList<T extends z.ZodMiniType>(connection: ClusterConnection, what: string, schema: T, value: unknown): z.infer<T>[] {
  const result = listOf(schema).safeParse(value);
  if (!result.success) throw new UnexpectedKubernetesObject(connection.cluster, what, result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return result.data.items;
}

/**
 * The API server answers 404 (or 503 from the aggregator) when metrics-server is not installed: say so,
 * since `kubectl top` would say the same ("Metrics API not available").
 */
const metricsUnavailable = (connection: ClusterConnection) => (cause: unknown) => new KubeApiError(connection.cluster, 404, 'the metrics API (metrics.k8s.io) is not available: is metrics-server installed?', { cause });

/**
 * Pod usage in one namespace from metrics.k8s.io, each pod's containers summed as `kubectl top pod` does.
 * Through CustomObjectsApi rather than client-node's Metrics class: that class sends its request without the
 * connection's abort signal, so the request timeout would not hold.
 */
export async function podUsage(connection: ClusterConnection, namespace: string): Promise<Usage[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const list: unknown = await callCluster(connection, () => api.listNamespacedCustomObject({ ...METRICS, namespace, plural: 'pods' }), metricsUnavailable(connection));
  return parsedList(connection, 'PodMetrics', podMetricsSchema, list).map((pod) => ({
    name: pod.metadata.name,
    ...(pod.metadata.namespace ? { namespace: pod.metadata.namespace } : {}),
    cpuMillis: pod.containers.reduce((sum, container) => sum + quantity(container.usage.cpu) * 1000, 0),
    memoryBytes: pod.containers.reduce((sum, container) => sum + quantity(container.usage.memory), 0),
  }));
}

/** Node usage from metrics.k8s.io, as `kubectl top node` reads it. */
export async function nodeUsage(connection: ClusterConnection): Promise<Usage[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const list: unknown = await callCluster(connection, () => api.listClusterCustomObject({ ...METRICS, plural: 'nodes' }), metricsUnavailable(connection));
  return parsedList(connection, 'NodeMetrics', nodeMetricsSchema, list).map((node) => ({ name: node.metadata.name, cpuMillis: quantity(node.usage.cpu) * 1000, memoryBytes: quantity(node.usage.memory) }));
}
