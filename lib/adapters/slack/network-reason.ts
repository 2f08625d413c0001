/**
 * What went wrong on the wire, in words: WebClient aborts an attempt at its `timeout` with a bare
 * "The operation was aborted", which does not say that Slack accepted the connection and never answered.
 */
export function networkReason(err: Error, requestTimeoutMs: number): string {
  return err.name === 'AbortError' || err.name === 'TimeoutError' ? `timed out: no answer within ${requestTimeoutMs} ms` : err.message;
}
