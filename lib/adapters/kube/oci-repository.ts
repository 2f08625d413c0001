// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CustomObjectsApi } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { conditionsSchema } from './conditions';
import { readCustomObject, type CustomResource } from './custom-objects';
import { SourceNotFound, UnexpectedKubernetesObject } from './errors';
import { parseGitUrl } from './git-url';

export const OCI_REPOSITORY: CustomResource = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'ocirepositories', kind: 'OCIRepository' };

/** The OCI annotation `flux push artifact --source` writes, which source-controller copies into status.artifact.metadata. */
export const OCI_SOURCE_ANNOTATION = 'org.opencontainers.image.source';
export const OCI_REVISION_ANNOTATION = 'org.opencontainers.image.revision';

// https://fluxcd.io/flux/components/source/ocirepositories/ — only the fields Fluxline reads.
const ociRepositorySchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({ url: z.string().check(z.minLength(1)) }),
  status: z.optional(
    z.looseObject({ conditions: conditionsSchema, artifact: z.optional(z.looseObject({ revision: z.optional(z.string()), metadata: z.optional(z.record(z.string(), z.string())) })) }),
  ),
});

export interface OciRepository {
  namespace: string;
  name: string;
  /** spec.url, e.g. oci://ghcr.io/acme/manifests. */
  url: string;
  /** `owner/repo` of the Git repository the artifact says it was built from, when it says so. */
  sourceRepository?: string;
  /** The Git revision it was built from (`main@sha1:…`), when the artifact says so. */
  sourceRevision?: string;
}

export async function getOciRepository(connection: ClusterConnection, ref: { namespace: string; name: string }): Promise<OciRepository> {
  const object = await readCustomObject(connection, OCI_REPOSITORY, ref, ociRepositorySchema, (cause) => new SourceNotFound(connection.cluster, 'OCIRepository', ref.namespace, ref.name, { cause }));
  return ociRepositoryOf(object);
}

function ociRepositoryOf(object: z.infer<typeof ociRepositorySchema>): OciRepository {
  const metadata = object.status?.artifact?.metadata ?? {};
  const source = metadata[OCI_SOURCE_ANNOTATION];
  const repository = source ? parseGitUrl(source).repository : undefined;
  const revision = metadata[OCI_REVISION_ANNOTATION];
  return {
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    url: object.spec.url,
    ...(repository ? { sourceRepository: repository } : {}),
    ...(revision ? { sourceRevision: revision } : {}),
  };
}

/**
 * Every OCIRepository on the cluster whose current artifact says it was built from `repository` (the
 * `org.opencontainers.image.source` annotation): an artifact that does not say so cannot be tied to a PR.
 */
export async function listOciRepositoriesOf(connection: ClusterConnection, repository: string): Promise<OciRepository[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const body = await callCluster<unknown>(connection, () => api.listClusterCustomObject({ group: OCI_REPOSITORY.group, version: OCI_REPOSITORY.version, plural: OCI_REPOSITORY.plural }));
  const list = z.looseObject({ items: z.array(z.unknown()) }).safeParse(body);
  if (!list.success) throw new UnexpectedKubernetesObject(connection.cluster, 'the OCIRepository list', list.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return list.data.items
    .flatMap((item) => {
      const parsed = ociRepositorySchema.safeParse(item);
      return parsed.success ? [ociRepositoryOf(parsed.data)] : [];
    })
    .filter((oci) => oci.sourceRepository?.toLowerCase() === repository.toLowerCase());
}
