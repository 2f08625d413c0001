/** Every failure of the redelivery sweep. */
export class RedeliverySweepError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RedeliverySweepError';
  }
}

/**
 * The POST that asks GitHub to redeliver failed in a way that leaves its effect unknown (a 5xx, a timeout,
 * a rate limit). The intent stays recorded: the next sweep looks for the redelivery in GitHub's list before
 * it asks again, so the event is neither lost nor delivered twice.
 */
export class RedeliveryRequestFailed extends RedeliverySweepError {
  constructor(
    readonly guid: string,
    readonly deliveryId: number,
    options?: ErrorOptions,
  ) {
    super(`asking GitHub to redeliver ${guid} (delivery ${deliveryId}) failed; the sweep stopped without moving its mark, and the next one checks GitHub's delivery list before asking again`, options);
    this.name = 'RedeliveryRequestFailed';
  }
}
