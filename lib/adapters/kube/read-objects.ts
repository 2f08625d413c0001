// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { KubeApiError, UnexpectedKubernetesObject } from './errors';

/** Any object, only as far as a read-only viewer relies on it; the rest is kept as it came. */
const objectSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.optional(z.string()) }),
});
export type KubeObject = z.infer<typeof objectSchema>;

export interface ObjectKind {
  apiVersion: string;
  kind: string;
}

function parsed(connection: ClusterConnection, what: string, value: unknown): KubeObject {
  const result = objectSchema.safeParse(value);
  if (!result.success) throw new UnexpectedKubernetesObject(connection.cluster, what, result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return result.data;
}

/** The objects of a kind in one namespace (or cluster-scoped), through discovery like kubectl. */
export async function listObjects(connection: ClusterConnection, kind: ObjectKind, namespace?: string): Promise<KubeObject[]> {
  const api = KubernetesObjectApi.makeApiClient(connection.kubeConfig);
  const list = await callCluster(connection, () => api.list(kind.apiVersion, kind.kind, namespace));
  return list.items.map((item) => parsed(connection, `a ${kind.kind}`, item));
}

/** One object, or a KubeApiError "not found" in words. */
export async function readObject(connection: ClusterConnection, kind: ObjectKind, name: string, namespace?: string): Promise<KubeObject> {
  const api = KubernetesObjectApi.makeApiClient(connection.kubeConfig);
  const object = await callCluster(
    connection,
    () => api.read({ apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, ...(namespace ? { namespace } : {}) } }),
    (cause) => new KubeApiError(connection.cluster, 404, `${kind.kind} ${namespace ? `${namespace}/` : ''}${name} not found`, { cause }),
  );
  return parsed(connection, `${kind.kind} ${name}`, object);
}

/**
 * The last `tailLines` lines of a container's log, at most `limitBytes`: both caps are sent to the API
 * server (so a huge log never crosses the network) and applied again here, whatever the server did.
 */
export async function readPodLog(connection: ClusterConnection, ref: { namespace: string; pod: string; container?: string }, caps: { tailLines: number; limitBytes: number }): Promise<{ text: string; truncated: boolean }> {
  const api = connection.kubeConfig.makeApiClient(CoreV1Api);
  const raw = await callCluster(
    connection,
    () => api.readNamespacedPodLog({ name: ref.pod, namespace: ref.namespace, ...(ref.container ? { container: ref.container } : {}), tailLines: caps.tailLines, limitBytes: caps.limitBytes }),
    (cause) => new KubeApiError(connection.cluster, 404, `pod ${ref.namespace}/${ref.pod} not found`, { cause }),
  );
  const lines = String(raw).split(/(?<=\n)/);
  const tailed = lines.slice(-caps.tailLines).join('');
  const bytes = Buffer.from(tailed);
  const text = bytes.length > caps.limitBytes ? bytes.subarray(0, caps.limitBytes).toString('utf8') : tailed;
  return { text, truncated: lines.length > caps.tailLines || bytes.length > caps.limitBytes || bytes.length >= caps.limitBytes };
}
