// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type * as z from '../../core/validation';
import { describeIssue } from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { UnexpectedKubernetesObject, type KubeError } from './errors';

/** group/version/plural of a namespaced custom resource, as the API server routes it. */
export interface CustomResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
}

/** GET one namespaced custom object and parse it with `schema` before anything else sees it. */
export async function readCustomObject<T extends z.ZodMiniType>(
  connection: ClusterConnection,
  resource: CustomResource,
  ref: { namespace: string; name: string },
  schema: T,
  onNotFound: (cause: unknown) => KubeError,
): Promise<z.infer<T>> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const body = await callCluster<unknown>(connection, () => api.getNamespacedCustomObject({ group: resource.group, version: resource.version, plural: resource.plural, ...ref }), onNotFound);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(describeIssue);
    throw new UnexpectedKubernetesObject(connection.cluster, `${resource.kind} ${ref.namespace}/${ref.name} (${resource.group}/${resource.version})`, problems);
  }
  return parsed.data;
}
