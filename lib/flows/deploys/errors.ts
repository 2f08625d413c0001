import { HttpError, MalformedRequest } from '../../core/http';

// HTTP errors: the status they carry is what notification-controller's retry policy reads.

/** The event's body is not a Flux event; the reason is one line naming the first bad field. */
export class MalformedFluxEvent extends MalformedRequest {
  constructor(reason: string, options?: ErrorOptions) {
    super(`not a Flux event: ${reason}`, options);
    this.name = 'MalformedFluxEvent';
  }
}

/** `/flux/events/{cluster}` names a cluster config.yaml does not know: the Provider's address is wrong. */
export class UnknownCluster extends HttpError {
  constructor(cluster: string, known: string[]) {
    super(404, `unknown cluster "${cluster}" in /flux/events/{cluster}; config.yaml knows ${known.map((c) => `"${c}"`).join(', ') || 'none'}: fix the Provider's address`);
    this.name = 'UnknownCluster';
  }
}

/**
 * Slack did not take a message this event must produce (an alert, a rollout's outcome). The answer is a
 * 503 so notification-controller retries the event (its HTTP client retries 5xx answers with backoff);
 * nothing was marked done, so the retry posts it.
 */
export class SlackUnavailable extends HttpError {
  constructor(what: string, options?: ErrorOptions) {
    super(503, `Slack did not take the ${what}; retry the event`, options);
    this.name = 'SlackUnavailable';
  }
}

/** Another invocation is reporting this rollout right now; a retry finds it done or takes over. */
export class RolloutReportInProgress extends HttpError {
  constructor(jobId: string) {
    super(503, `the outcome of rollout ${jobId} is being reported by another request; retry the event`);
    this.name = 'RolloutReportInProgress';
  }
}
