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

/** What an ImagePolicy picked last: image-automation-controller writes it on every line marked with the policy. */
export interface ImagePolicyPick {
  /** The image's name without tag (`ghcr.io/acme/api`). */
  name: string;
  tag: string;
  digest?: string;
}

// image.toolkit.fluxcd.io ImagePolicy (https://fluxcd.io/flux/components/image/imagepolicies/#status):
// v1 (Flux 2.7) has `status.latestRef` {name, tag, digest}; v1beta2 had the `latestImage` string
// (`name:tag`, `@digest` appended when the digest is reflected), later alongside latestRef.
const policyStatusSchema = z.looseObject({
  latestRef: z.optional(z.looseObject({ name: z.string(), tag: z.string(), digest: z.optional(z.string()) })),
  latestImage: z.optional(z.string()),
});
const policySchema = z.looseObject({ status: z.optional(policyStatusSchema) });

/** The pick an ImagePolicy's status reports; undefined before it resolved one. */
export function latestPickOf(status: z.infer<typeof policyStatusSchema>): ImagePolicyPick | undefined {
  const ref = status.latestRef;
  if (ref?.name && ref.tag) return { name: ref.name, tag: ref.tag, ...(ref.digest ? { digest: ref.digest } : {}) };
  if (!status.latestImage) return undefined;
  const [image = '', digest] = status.latestImage.split('@');
  // The tag follows the last `:` after the last `/`: a registry's `:5000` is not a tag.
  const colon = image.lastIndexOf(':');
  if (colon < 0 || colon < image.lastIndexOf('/')) return undefined;
  return { name: image.slice(0, colon), tag: image.slice(colon + 1), ...(digest ? { digest } : {}) };
}

/** The ImagePolicy's latest pick; undefined when the policy is absent or has none yet. */
export async function readImagePolicyPick(connection: ClusterConnection, ref: { namespace: string; name: string }): Promise<ImagePolicyPick | undefined> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  for (const version of VERSIONS) {
    try {
      const body = await callCluster<unknown>(connection, () => api.getNamespacedCustomObject({ group: 'image.toolkit.fluxcd.io', version, namespace: ref.namespace, plural: 'imagepolicies', name: ref.name }));
      return latestPickOf(policySchema.parse(body).status ?? {});
    } catch (err) {
      // 404: this version is not served, or there is no such policy; the warning then names no tag.
      if (err instanceof KubeApiError && err.status === 404) continue;
      throw err;
    }
  }
  return undefined;
}
