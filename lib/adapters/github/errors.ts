/** Every failure of the GitHub capability; callers switch on `name`, users read `message`. */
export class GithubError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GithubError';
  }
}

/** GET /repos/{owner}/{repo}/installation answered 404: the app cannot see this repository. */
export class AppNotInstalled extends GithubError {
  constructor(
    readonly repository: string,
    options?: ErrorOptions,
  ) {
    super(`the Fluxline GitHub App is not installed on ${repository} (or the installation does not include it): install it on that repository`, options);
    this.name = 'AppNotInstalled';
  }
}

/** GitHub refused the app's own JWT, so no installation can be reached at all. */
export class AppAuthFailed extends GithubError {
  constructor(options?: ErrorOptions) {
    super('GitHub rejected the app JWT: check GITHUB_APP_ID and GITHUB_PRIVATE_KEY (the key must belong to that app) and the clock of this host', options);
    this.name = 'AppAuthFailed';
  }
}

export class PullRequestNotFound extends GithubError {
  constructor(
    readonly repository: string,
    readonly number: number,
    options?: ErrorOptions,
  ) {
    super(`${repository}#${number} does not exist or the app is not installed on ${repository}`, options);
    this.name = 'PullRequestNotFound';
  }
}

/** The tarball of a ref is bigger than the caller is willing to hold in memory and extract. */
export class TarballTooLarge extends GithubError {
  constructor(
    readonly repository: string,
    readonly ref: string,
    readonly maxBytes: number,
  ) {
    super(`the tarball of ${repository}@${ref.slice(0, 12)} is larger than ${maxBytes} bytes; refusing to download more`);
    this.name = 'TarballTooLarge';
  }
}

/** GitHub answered 422/403 to a review: `message` says why in words a Slack user understands. */
export class ReviewRefused extends GithubError {
  constructor(
    readonly repository: string,
    readonly number: number,
    readonly githubMessage: string,
    hint: string | undefined,
    options?: ErrorOptions,
  ) {
    super(`GitHub refused to approve ${repository}#${number}: ${githubMessage}${hint ? ` (${hint})` : ''}`, options);
    this.name = 'ReviewRefused';
  }
}

/** GitHub rejects comment bodies over 65,536 characters with 422; we refuse before sending. */
export class CommentTooLong extends GithubError {
  constructor(
    readonly length: number,
    readonly maxLength: number,
    options?: ErrorOptions,
  ) {
    super(`the comment is ${length} characters; GitHub accepts at most ${maxLength}`, options);
    this.name = 'CommentTooLong';
  }
}

/** A primary or secondary rate limit whose wait does not fit in the time we have to answer. */
export class RateLimited extends GithubError {
  constructor(
    readonly retryAfterSeconds: number,
    readonly request: string,
    options?: ErrorOptions,
  ) {
    super(`GitHub rate limit reached on ${request}; it can be retried in ${retryAfterSeconds} s`, options);
    this.name = 'RateLimited';
  }
}

/** A path or ref of the repository does not exist (or the app cannot see it). */
export class RepositoryContentNotFound extends GithubError {
  constructor(
    readonly repository: string,
    readonly what: string,
    options?: ErrorOptions,
  ) {
    super(`${what} was not found in ${repository}: check the name, the branch, and that the GitHub App is installed on ${repository}`, options);
    this.name = 'RepositoryContentNotFound';
  }
}

/** PUT contents answered 409: the file changed on the branch since it was read (its blob sha no longer matches). */
export class FileChanged extends GithubError {
  constructor(
    readonly repository: string,
    readonly path: string,
    options?: ErrorOptions,
  ) {
    super(`${path} in ${repository} changed while Fluxline was editing it`, options);
    this.name = 'FileChanged';
  }
}

/** GitHub refused to write (branch protection, missing "Contents: write" permission, a branch that already exists…). */
export class WriteRefused extends GithubError {
  constructor(
    readonly repository: string,
    readonly githubMessage: string,
    hint: string | undefined,
    options?: ErrorOptions,
  ) {
    super(`GitHub refused the change to ${repository}: ${githubMessage}${hint ? ` (${hint})` : ''}`, options);
    this.name = 'WriteRefused';
  }
}

/** GitHub refused to redeliver a webhook delivery (gone, or past its 3-day redelivery limit). */
export class RedeliveryRefused extends GithubError {
  constructor(
    readonly deliveryId: number,
    readonly status: number,
    readonly githubMessage: string,
    options?: ErrorOptions,
  ) {
    super(`GitHub refused to redeliver webhook delivery ${deliveryId} (${status}: ${githubMessage}); it can still be redelivered by hand from the App's Advanced settings while it is under 3 days old`, options);
    this.name = 'RedeliveryRefused';
  }
}

/**
 * The tarball did not arrive within its budget: GitHub or the archive host stopped answering, possibly
 * mid-body. Never carries the archive URL (codeload's token).
 */
export class TarballTimedOut extends GithubError {
  constructor(repository: string, ref: string, timeoutMs: number, options?: ErrorOptions) {
    super(`downloading the tarball of ${repository}@${ref} did not finish within ${timeoutMs / 1000} s (the archive host stalled); run the diff again`, options);
    this.name = 'TarballTimedOut';
  }
}
