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
