export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A conditional write lost: someone else changed the item first. */
export class ConcurrentUpdate extends StoreError {
  constructor(what: string, options?: ErrorOptions) {
    super(`${what} was changed concurrently`, options);
    this.name = 'ConcurrentUpdate';
  }
}

/**
 * DynamoDB did not answer a call within its timeouts (client.ts StoreTimeouts), retries included. The
 * name is what the HTTP layer maps to a 503 (lib/core/http deadline.ts), so the caller retries later.
 */
export class StoreTimedOut extends StoreError {
  constructor(command: string, attempts: number, requestMs: number, options?: ErrorOptions) {
    super(`DynamoDB did not answer ${command} (${attempts} attempts of ${requestMs} ms each)`, options);
    this.name = 'StoreTimedOut';
  }
}
