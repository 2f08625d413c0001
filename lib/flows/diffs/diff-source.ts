import { getGitRepository, getOciRepository, GitRepositoryNotFound, OCI_SOURCE_ANNOTATION, SourceNotFound, type ClusterConnection, type Kustomization } from '../../adapters/kube';
import { SourceMismatch, SourceMissing } from './errors';
import { notTrackingWarning } from './source-tracking';

/** The Kustomization's source, as far as the diff needs it. */
export interface DiffSource {
  kind: 'GitRepository' | 'OCIRepository';
  /** `namespace/name`. */
  name: string;
  /** spec.ignore of a GitRepository. */
  ignore?: string;
  /** Whether merging into `baseRef` reaches this cluster through this source; warnings when not. */
  warnings(baseRef: string): string[];
  notes: string[];
  /** Whether lastAppliedRevision names a commit of the repository (a Git source), comparable with the base. */
  revisionIsCommit: boolean;
}

/**
 * Reads the source and checks it builds from the PR's repository: a GitRepository by its URL, an
 * OCIRepository by the `org.opencontainers.image.source` its artifact carries (`flux push artifact
 * --source`). flux diff needs only the live Kustomization and a folder, so both can be diffed.
 */
export async function readDiffSource(connection: ClusterConnection, kustomization: Kustomization, request: { repository: string; cluster: string }): Promise<DiffSource> {
  const { sourceRef } = kustomization;
  const qualified = `${kustomization.namespace}/${kustomization.name}`;
  const sourceName = `${sourceRef.namespace}/${sourceRef.name}`;
  const missing = (err: unknown) => {
    if (err instanceof GitRepositoryNotFound || err instanceof SourceNotFound) throw new SourceMissing(qualified, `${sourceRef.kind} ${sourceName}`, request.cluster);
    throw err;
  };
  if (sourceRef.kind === 'GitRepository') {
    const source = await getGitRepository(connection, { namespace: sourceRef.namespace, name: sourceRef.name }).catch(missing);
    if (!source.repository || source.repository.toLowerCase() !== request.repository.toLowerCase()) {
      throw new SourceMismatch(`Kustomization ${qualified} on ${request.cluster} builds from ${source.url}, not from ${request.repository}: diffing this PR against it would compare unrelated code`);
    }
    return {
      kind: 'GitRepository',
      name: sourceName,
      ...(source.ignore !== undefined ? { ignore: source.ignore } : {}),
      warnings: (baseRef) => {
        const warning = notTrackingWarning(source.ref, baseRef, sourceName, request.cluster);
        return warning ? [warning] : [];
      },
      notes: [],
      revisionIsCommit: true,
    };
  }
  if (sourceRef.kind === 'OCIRepository') {
    const source = await getOciRepository(connection, { namespace: sourceRef.namespace, name: sourceRef.name }).catch(missing);
    if (!source.sourceRepository || source.sourceRepository.toLowerCase() !== request.repository.toLowerCase()) {
      throw new SourceMismatch(
        `Kustomization ${qualified} on ${request.cluster} builds from the OCI artifact ${source.url}, whose ${OCI_SOURCE_ANNOTATION} annotation ${source.sourceRepository ? `names ${source.sourceRepository}` : 'is not set'}, not ${request.repository}: Fluxline cannot tell it is built from this repository. Push it with \`flux push artifact --source=<this repository's URL> --revision=<branch>@sha1:<commit>\` so the artifact says so.`,
      );
    }
    return {
      kind: 'OCIRepository',
      name: sourceName,
      warnings: () => [
        `OCIRepository ${sourceName} on ${request.cluster} deploys artifacts, not commits: merging deploys nothing there until CI pushes an artifact built from the merge${source.sourceRevision ? ` (the current one is from ${source.sourceRevision})` : ''}`,
      ],
      notes: ["spec.path is read in this repository's checkout: the diff assumes the artifact is pushed from the repository root"],
      revisionIsCommit: false,
    };
  }
  throw new SourceMismatch(`Kustomization ${qualified} builds from a ${sourceRef.kind}, not a GitRepository or an OCIRepository: a PR's code cannot be diffed against it`);
}

/** The commit SHA of a Flux revision: `main@sha1:abc…`, `sha1:abc…` or a bare SHA. */
export function revisionSha(revision: string): string | undefined {
  return /(?:^|[@:])([0-9a-f]{40}(?:[0-9a-f]{24})?)$/.exec(revision)?.[1];
}

/**
 * What the live Kustomization says about the comparison: the diff is against the cluster's state, so
 * when the cluster has not applied the base (or is suspended, or failing), the diff shows more — or other —
 * than what the PR changes.
 */
export function describeCluster(kustomization: Kustomization, baseSha: string, source: Pick<DiffSource, 'revisionIsCommit'>): string[] {
  const warnings: string[] = [];
  const applied = kustomization.lastAppliedRevision;
  if (!applied) warnings.push('the cluster has never applied this Kustomization: everything shows as created');
  else if (source.revisionIsCommit && revisionSha(applied) !== baseSha) {
    warnings.push(`cluster applied ${applied}, base is ${baseSha.slice(0, 7)}: the diff also shows base commits the cluster has not applied yet, and changes made on the cluster by hand`);
  }
  if (kustomization.suspended) warnings.push('the Kustomization is suspended: merging changes nothing on the cluster until it is resumed');
  if (kustomization.ready && kustomization.ready.status !== 'True') {
    warnings.push(`the Kustomization is not Ready (${kustomization.ready.reason ?? kustomization.ready.status}): its last apply failed, so the cluster may not hold what it declares`);
  }
  return warnings;
}
