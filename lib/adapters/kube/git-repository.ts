// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CustomObjectsApi } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { conditionsSchema, readyCondition, type ReadyCondition } from './conditions';
import { readCustomObject, type CustomResource } from './custom-objects';
import { GitRepositoryNotFound, UnexpectedKubernetesObject } from './errors';
import { parseGitUrl, redactGitUrl } from './git-url';

export const GIT_REPOSITORY: CustomResource = { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories', kind: 'GitRepository' };

// https://fluxcd.io/flux/components/source/gitrepositories/ — only the fields Fluxline reads.
const gitRepositorySchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), namespace: z.string() }),
  spec: z.looseObject({
    url: z.string().check(z.minLength(1)),
    // A plain object: keys Fluxline does not know are dropped, not passed on.
    ref: z.optional(z.object({ branch: z.optional(z.string()), tag: z.optional(z.string()), semver: z.optional(z.string()), name: z.optional(z.string()), commit: z.optional(z.string()) })),
    suspend: z.optional(z.boolean()),
    ignore: z.optional(z.string()),
  }),
  status: z.optional(z.looseObject({ conditions: conditionsSchema, artifact: z.optional(z.looseObject({ revision: z.optional(z.string()) })) })),
});

export interface GitRepositoryRef {
  branch?: string;
  tag?: string;
  semver?: string;
  /** A full Git reference such as refs/pull/42/head. */
  name?: string;
  commit?: string;
}

export interface GitRepository {
  namespace: string;
  name: string;
  /** spec.url, with any password in it replaced by ***. */
  url: string;
  /** `owner/repo` parsed from spec.url, whatever the host (GitHub Enterprise Server included). */
  repository: string | undefined;
  host: string | undefined;
  ref?: GitRepositoryRef;
  suspended: boolean;
  ready?: ReadyCondition;
  /** status.artifact.revision, e.g. "main@sha1:1a2b…". */
  revision?: string;
  /** spec.ignore: .gitignore-format patterns source-controller leaves out of the artifact. */
  ignore?: string;
}

export async function getGitRepository(connection: ClusterConnection, ref: { namespace: string; name: string }): Promise<GitRepository> {
  const object = await readCustomObject(connection, GIT_REPOSITORY, ref, gitRepositorySchema, (cause) => new GitRepositoryNotFound(connection.cluster, ref.namespace, ref.name, { cause }));
  const { spec, status } = object;
  const { host, repository } = parseGitUrl(spec.url);
  const ready = readyCondition(status?.conditions);
  return {
    namespace: object.metadata.namespace,
    name: object.metadata.name,
    url: redactGitUrl(spec.url),
    repository,
    host,
    ...(spec.ref ? { ref: spec.ref } : {}),
    suspended: spec.suspend ?? false,
    ...(ready ? { ready } : {}),
    ...(status?.artifact?.revision ? { revision: status.artifact.revision } : {}),
    ...(spec.ignore !== undefined ? { ignore: spec.ignore } : {}),
  };
}

const gitRepositoryListSchema = z.looseObject({
  items: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string(), namespace: z.string() }), spec: z.looseObject({ url: z.string(), ref: gitRepositorySchema.shape.spec.shape.ref }) })),
});

/**
 * `namespace/name` of every GitRepository on the cluster that fetches `repository` (`owner/repo`), whatever
 * its ref: the sources a recursive diff reads from the PR's checkout instead of the cluster's artifacts.
 */
export async function listGitRepositoriesOf(connection: ClusterConnection, repository: string): Promise<{ namespace: string; name: string; ref?: GitRepositoryRef }[]> {
  const api = connection.kubeConfig.makeApiClient(CustomObjectsApi);
  const body = await callCluster<unknown>(connection, () => api.listClusterCustomObject({ group: GIT_REPOSITORY.group, version: GIT_REPOSITORY.version, plural: GIT_REPOSITORY.plural }));
  const parsed = gitRepositoryListSchema.safeParse(body);
  if (!parsed.success) throw new UnexpectedKubernetesObject(connection.cluster, 'the GitRepository list', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  return parsed.data.items
    .filter((item) => parseGitUrl(item.spec.url).repository?.toLowerCase() === repository.toLowerCase())
    .map((item) => ({ namespace: item.metadata.namespace, name: item.metadata.name, ...(item.spec.ref ? { ref: item.spec.ref } : {}) }));
}
