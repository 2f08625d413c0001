export class SlackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SlackError';
  }
}

/**
 * Slack answered `ok: false`. `code` is Slack's own error code (`channel_not_found`, `invalid_blocks`, ...);
 * `hint` says what an operator can do about it; `details` carries Slack's `response_metadata.messages`
 * (for `invalid_blocks` they point at the offending block with a JSON pointer).
 */
export class SlackApiError extends SlackError {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly hint: string | undefined,
    readonly details: string[] = [],
    options?: ErrorOptions,
  ) {
    const detail = details.length > 0 ? ` (${details.join('; ')})` : '';
    super(`Slack ${method} failed: ${code}${hint ? ` — ${hint}` : ''}${detail}`, options);
    this.name = 'SlackApiError';
  }
}

/** Slack asked us to wait longer than this function may (its caller has a deadline): the call was not made. */
export class SlackRateLimited extends SlackError {
  constructor(
    readonly method: string,
    readonly retryAfterSeconds: number,
    why: string,
    options?: ErrorOptions,
  ) {
    super(`Slack rate-limited ${method} for ${retryAfterSeconds} s, ${why}; the call was not made — retry later (GitHub redelivery, SQS retry)`, options);
    this.name = 'SlackRateLimited';
  }
}

/**
 * Slack could not be reached, or answered with an HTTP status other than 200/429, on every attempt.
 * `status` is absent for network errors and timeouts.
 */
export class SlackRequestFailed extends SlackError {
  constructor(
    readonly method: string,
    readonly attempts: number,
    readonly status: number | undefined,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`Slack ${method} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`, options);
    this.name = 'SlackRequestFailed';
  }
}

/** A message we built breaks a Block Kit limit Slack would reject it for: a bug in the caller, caught before sending. */
export class BlockLimitExceeded extends SlackError {
  constructor(what: string) {
    super(`Block Kit limit exceeded: ${what}`);
    this.name = 'BlockLimitExceeded';
  }
}
