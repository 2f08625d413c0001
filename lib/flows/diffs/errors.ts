export class DiffError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DiffError';
  }
}

/** The PR tarball holds something we refuse to write to disk. */
export class UnsafeTarball extends DiffError {
  constructor(reason: string) {
    super(`refusing to extract the PR tarball: ${reason}`);
    this.name = 'UnsafeTarball';
  }
}

/** The Kustomization's source is not the repository the PR belongs to, so its code cannot be diffed. */
export class SourceMismatch extends DiffError {
  constructor(message: string) {
    super(message);
    this.name = 'SourceMismatch';
  }
}

/** The repository's fork policy does not let this user run a fork PR's code through flux. */
export class ForkNotAllowed extends DiffError {
  constructor(message: string) {
    super(message);
    this.name = 'ForkNotAllowed';
  }
}

/** Approve was clicked on a report whose PR has new commits since. */
export class HeadMoved extends DiffError {
  constructor(diffed: string, head: string) {
    super(`new commits since this diff (diffed ${diffed.slice(0, 7)}, head is now ${head.slice(0, 7)}): run the diff again before approving`);
    this.name = 'HeadMoved';
  }
}

/** The report a button refers to is gone or never succeeded. */
export class ReportUnavailable extends DiffError {
  constructor(jobId: string, why: string) {
    super(`the diff report of job ${jobId} ${why}: run the diff again`);
    this.name = 'ReportUnavailable';
  }
}

/** flux ran but did not produce a diff: a build error, usage error, timeout or crash. */
export class DiffFailed extends DiffError {
  constructor(readonly outcome: { kind: string; message?: string }) {
    super(outcome.kind === 'timeout' ? 'flux diff did not finish before its timeout' : `flux diff ${outcome.kind}: ${outcome.message ?? ''}`.trim());
    this.name = 'DiffFailed';
  }
}

/**
 * The checkout has no folder at the Kustomization's spec.path: the PR removes it. Flux would then fail to
 * build the Kustomization on every reconcile and, failing, prune nothing.
 */
export class PathRemoved extends DiffError {
  constructor(kustomization: string, path: string, cluster: string, declarationRemoved: boolean) {
    super(
      declarationRemoved
        ? `this PR removes "${path}", the spec.path of Kustomization ${kustomization}, and its declaration: on merge, if the Kustomization that applied it prunes, ${kustomization} is deleted from ${cluster} and (with prune: true) deletes what it applied. Check that this is what you want; there is nothing to diff.`
        : `this PR removes "${path}", the spec.path of Kustomization ${kustomization}: on merge, ${kustomization} fails to build on ${cluster} and prunes nothing, so its objects stay unmanaged. To remove them, delete the Kustomization object in this PR instead; to keep them, keep the path.`,
    );
    this.name = 'PathRemoved';
  }
}

/** spec.kubeConfig: the controller applies this Kustomization to another cluster, which the diff cannot dry-run against. */
export class RemoteCluster extends DiffError {
  /**
   * `unmapped`: config.yaml does not say which cluster the kubeConfig reaches. `undeclared`: it does, but no
   * file of the commit declares the Kustomization, and the remote cluster has no copy of it for flux to read.
   */
  constructor(kustomization: string, cluster: string, reference: string, why: { unmapped: string } | { undeclared: string }) {
    super(
      'unmapped' in why
        ? `Kustomization ${kustomization} on ${cluster} applies to a remote cluster (spec.kubeConfig, ${reference}): a dry-run against ${cluster} would compare with the wrong cluster. On merge, the controller on ${cluster} applies it there. To diff it, add the remote cluster under \`clusters\` in config.yaml and map ${why.unmapped} to it in \`clusters.${cluster}.remoteClusters\`.`
        : `Kustomization ${kustomization} on ${cluster} applies to ${why.undeclared} (spec.kubeConfig, ${reference}), which holds no copy of it: flux can diff it there only with the Kustomization's YAML, and no file of this commit declares it. Declare it in the repository, then diff again.`,
    );
    this.name = 'RemoteCluster';
  }
}

/** The Kustomization's source is not on the cluster. */
export class SourceMissing extends DiffError {
  constructor(kustomization: string, source: string, cluster: string) {
    super(
      `Kustomization ${kustomization} builds from ${source}, which does not exist on ${cluster}: it is not Ready, and merging this PR changes nothing there until the source exists. Create the source (or fix spec.sourceRef), then diff again.`,
    );
    this.name = 'SourceMissing';
  }
}

/** Post diff to PR of a report that holds (masked) substituted Secret values, on a public repository, by a non-admin. */
export class SecretsOnPublicRepository extends DiffError {
  constructor(repository: string) {
    super(`this diff touches values substituted from Secrets (masked) and ${repository} is public: only a Fluxline admin may post it to the PR. Ask an admin, or share the Slack report instead.`);
    this.name = 'SecretsOnPublicRepository';
  }
}
