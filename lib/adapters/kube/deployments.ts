// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { AppsV1Api } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { UnexpectedKubernetesObject } from './errors';

// apps/v1 Deployment, only the fields Fluxline reads. client-node deserializes into its model classes
// (camelCase, as in the JSON); the schema still decides what the domain may rely on.
const deploymentSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string(), labels: z.nullish(z.record(z.string(), z.string())) }),
  spec: z.nullish(
    z.looseObject({
      replicas: z.nullish(z.int()),
      template: z.nullish(z.looseObject({ spec: z.nullish(z.looseObject({ containers: z.array(z.looseObject({ image: z.nullish(z.string()) })) })) })),
    }),
  ),
  status: z.nullish(z.looseObject({ replicas: z.nullish(z.int()), readyReplicas: z.nullish(z.int()) })),
});

export interface DeploymentSummary {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Images of the pod template's containers, in order (init containers excluded). */
  images: string[];
  readyReplicas: number;
  /** spec.replicas: what is wanted; the API server defaults it to 1. */
  replicas: number;
}

/** The Deployments of one namespace, for `/flux list` (config.yaml apps.namespaces). */
export async function listDeployments(connection: ClusterConnection, namespace: string): Promise<DeploymentSummary[]> {
  const api = connection.kubeConfig.makeApiClient(AppsV1Api);
  const list = await callCluster(connection, () => api.listNamespacedDeployment({ namespace }));
  const parsed = z.array(deploymentSchema).safeParse(list.items);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `items.${issue.path.join('.')}: ${issue.message}`);
    throw new UnexpectedKubernetesObject(connection.cluster, `the Deployments of namespace ${namespace}`, problems);
  }
  return parsed.data.map((deployment) => ({
    name: deployment.metadata.name,
    namespace: deployment.metadata.namespace,
    labels: deployment.metadata.labels ?? {},
    images: (deployment.spec?.template?.spec?.containers ?? []).flatMap((container) => (container.image ? [container.image] : [])),
    readyReplicas: deployment.status?.readyReplicas ?? 0,
    replicas: deployment.spec?.replicas ?? 1,
  }));
}
