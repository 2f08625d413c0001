/** Why an out-of-process executor's run failed; the message is written for the person who typed the command. */
export type RemoteFailureReason =
  | 'unreachable'
  | 'connect-timeout'
  | 'timeout'
  | 'too-large'
  | 'redirect'
  | 'http-status'
  | 'not-json'
  | 'not-a-message'
  | 'function-error'
  | 'throttled'
  | 'lambda-unavailable'
  | 'lambda-refused';

/**
 * An out-of-process executor failed, hung, or answered what Fluxline will not show. The message is one
 * line of plain words (the job's report shows its first line); what the executor sent stays in the log.
 */
export class RemoteExecutorFailed extends Error {
  constructor(
    readonly executor: string,
    readonly reason: RemoteFailureReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RemoteExecutorFailed';
  }
}
