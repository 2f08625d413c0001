/** An error the HTTP layer turns into a response; the domain never builds responses itself. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

export class SignatureMissing extends HttpError {
  constructor(header: string) {
    super(401, `missing ${header} header`);
    this.name = 'SignatureMissing';
  }
}

export class SignatureInvalid extends HttpError {
  constructor(what: string) {
    super(401, `${what} signature does not match`);
    this.name = 'SignatureInvalid';
  }
}

export class RequestExpired extends HttpError {
  constructor(ageSeconds: number) {
    super(401, `request timestamp is ${ageSeconds} s old; Slack requests older than 5 minutes are rejected as replays`);
    this.name = 'RequestExpired';
  }
}

/** Fail closed: a route whose secret is not configured accepts nothing. */
export class SecretNotConfigured extends HttpError {
  constructor(variable: string) {
    super(500, `${variable} is not configured; refusing unauthenticated requests`);
    this.name = 'SecretNotConfigured';
  }
}

export class MalformedRequest extends HttpError {
  constructor(reason: string, options?: ErrorOptions) {
    super(400, reason, options);
    this.name = 'MalformedRequest';
  }
}

/**
 * A dependency (DynamoDB, SQS, SSM, Slack, GitHub) did not answer in time: 503, so the caller (Flux,
 * GitHub, Slack) retries later rather than meeting its own deadline with no answer.
 */
export class DependencyTimedOut extends HttpError {
  constructor(what: string, options?: ErrorOptions) {
    super(503, `${what} did not answer in time; try again later`, options);
    this.name = 'DependencyTimedOut';
  }
}

/** A request body larger than the route accepts (HTTP 413); nothing is read further or stored. */
export class RequestTooLarge extends HttpError {
  constructor(bytes: number, limit: number) {
    super(413, `request body is ${bytes.toLocaleString('en')} bytes; this route accepts at most ${limit.toLocaleString('en')}`);
    this.name = 'RequestTooLarge';
  }
}
