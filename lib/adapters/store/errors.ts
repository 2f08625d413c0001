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
