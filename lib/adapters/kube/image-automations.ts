// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { KubeApiError } from './errors';

// image.toolkit.fluxcd.io ImageUpdateAutomation (https://fluxcd.io/flux/components/image/imageupdateautomations/):
// v1 from Flux 2.7, v1beta2 before; only the fields Fluxline reads.
const VERSIONS = ['v1', 'v1beta2'] as const;
const automationSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({
    suspend: z.optional(z.boolean()),
    update: z.optional(z.looseObject({ path: z.optional(z.string()) })),
  }),
});
const listSchema = z.looseObject({ items: z.array(automationSchema) });

export interface ImageUpdateAutomation {
  namespace: string;
  name: string;
  suspended: boolean;
  /** spec.update.path: the folder of the repository it writes to (`./` when unset). */
  path: string;
}

/** The ImageUpdateAutomations of one namespace; an API version the cluster does not serve is skipped. */
export async function listImageUpdateAutomations(connection: ClusterConnection, namespace: string): Promise<ImageUpdateAutomation[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const version of VERSIONS) {
    try {
      const body = await callCluster<unknown>(connection, () => api.listNamespacedCustomObject({ group: 'image.toolkit.fluxcd.io', version, namespace, plural: 'imageupdateautomations' }));
      const parsed = listSchema.parse(body);
      return parsed.items.map((item) => ({ namespace: item.metadata.namespace, name: item.metadata.name, suspended: item.spec.suspend ?? false, path: item.spec.update?.path ?? './' }));
    } catch (err) {
      // 404: this version is not served (or image automation is not installed); try the older one.
      if (err instanceof KubeApiError && err.status === 404) continue;
      throw err;
    }
  }
  return [];
}

/**
 * Sets `spec.suspend: true` on one ImageUpdateAutomation (a JSON merge patch; what `flux suspend image
 * update` does), so it stops rewriting the repository until someone resumes it.
 */
export async function suspendImageUpdateAutomation(connection: ClusterConnection, ref: { namespace: string; name: string }): Promise<void> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const version of VERSIONS) {
    try {
      await callCluster<unknown>(connection, () =>
        api.patchNamespacedCustomObject({ group: 'image.toolkit.fluxcd.io', version, namespace: ref.namespace, plural: 'imageupdateautomations', name: ref.name, body: { spec: { suspend: true } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
      );
      return;
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 404 && version !== VERSIONS[VERSIONS.length - 1]) continue;
      throw err;
    }
  }
}
