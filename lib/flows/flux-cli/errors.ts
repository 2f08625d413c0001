/** Base of the errors of Flux CLI commands run from Slack. */
export class FluxCliError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'FluxCliError';
  }
}

/** flux ran and failed (error exit, timeout, crash); the message is flux's own error line, for the requester. */
export class FluxCommandFailed extends FluxCliError {
  constructor(
    readonly outcome: 'failed' | 'timeout' | 'crashed',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'FluxCommandFailed';
  }
}

/** The stored job does not hold what a chosen table row points at (expired, or a value we did not write). */
export class TableRowUnavailable extends FluxCliError {
  constructor(reason: string) {
    super(reason);
    this.name = 'TableRowUnavailable';
  }
}
