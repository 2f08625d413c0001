import { HttpError } from '../../core/http/errors';

// The 413 of every route lives with the other HTTP errors; the ingress names it too.
export { RequestTooLarge } from '../../core/http/errors';

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
