import { HttpError } from '../../core/http/errors';

/** A request body larger than the route accepts (HTTP 413); nothing is read further or stored. */
export class RequestTooLarge extends HttpError {
  constructor(bytes: number, limit: number) {
    super(413, `request body is ${bytes.toLocaleString('en')} bytes; this route accepts at most ${limit.toLocaleString('en')}`);
    this.name = 'RequestTooLarge';
  }
}

/**
 * The queue did not take the request, so it is not durable and must not be acknowledged (HTTP 503): the
 * sender shows it as failed, and Fluxline's redelivery sweep (GitHub) or the user (Slack) tries again.
 */
export class NotQueued extends HttpError {
  constructor(what: string, options?: ErrorOptions) {
    super(503, `${what} could not be queued; it was not accepted and is safe to send again`, options);
    this.name = 'NotQueued';
  }
}
