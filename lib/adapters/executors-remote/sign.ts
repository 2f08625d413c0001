import { createHmac } from 'node:crypto';
import { REMOTE_EXECUTOR_HEADERS } from '../../core/executors/remote-protocol';

/**
 * The signature headers of a request to an HTTP executor, as Slack signs its own requests
 * (docs.slack.dev/authentication/verifying-requests-from-slack): `v0=` + hex HMAC-SHA256, keyed by the
 * shared secret, of `v0:<unix seconds>:<raw body>`. The executor recomputes it over the bytes it got and
 * refuses a timestamp more than 5 minutes away from its clock (a replay).
 */
export function signatureHeaders(secret: string, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { [REMOTE_EXECUTOR_HEADERS.timestamp]: timestamp, [REMOTE_EXECUTOR_HEADERS.signature]: `v0=${signature}` };
}
