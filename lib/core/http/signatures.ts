import { createHmac, timingSafeEqual } from 'node:crypto';
import { verify } from '@octokit/webhooks-methods';
import { RequestExpired, SecretNotConfigured, SignatureInvalid, SignatureMissing } from './errors';

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body)>`, checked by @octokit/webhooks-methods
 * (the verify of @octokit/webhooks, without its event router: the ingress bundle stays small).
 */
export async function verifyGithubRequest(secret: string | undefined, body: Buffer, signature: string | undefined): Promise<void> {
  if (!secret) throw new SecretNotConfigured('GITHUB_WEBHOOK_SECRET');
  if (!signature) throw new SignatureMissing('X-Hub-Signature-256');
  // Verify over the exact bytes; a JSON round trip would change them.
  if (!(await verify(secret, body.toString('utf8'), signature))) throw new SignatureInvalid('GitHub webhook');
}

export interface SlackVerifyOptions {
  /** Injected so the replay window is testable (bolt-js does the same). */
  nowMilliseconds?: () => number;
}

/** Slack v0: `X-Slack-Signature: v0=<hex HMAC-SHA256("v0:" + timestamp + ":" + raw body)>`, within 5 minutes. */
export function verifySlackRequest(
  secret: string | undefined,
  body: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  { nowMilliseconds = Date.now }: SlackVerifyOptions = {},
): void {
  if (!secret) throw new SecretNotConfigured('SLACK_SIGNING_SECRET');
  if (!timestamp) throw new SignatureMissing('X-Slack-Request-Timestamp');
  if (!signature) throw new SignatureMissing('X-Slack-Signature');
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds)) throw new SignatureInvalid('Slack (timestamp is not a number)');
  const age = Math.floor(nowMilliseconds() / 1000) - seconds;
  if (Math.abs(age) > 5 * 60) throw new RequestExpired(age);
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
  if (!safeEqual(expected, signature)) throw new SignatureInvalid('Slack');
}

/** Flux notification-controller `generic-hmac` Provider: `X-Signature: sha256=<hex HMAC-SHA256(body)>`. */
export function verifyFluxRequest(secret: string | undefined, body: Buffer, signature: string | undefined): void {
  if (!secret) throw new SecretNotConfigured('FLUX_WEBHOOK_TOKEN');
  if (!signature) throw new SignatureMissing('X-Signature');
  const [algorithm, digest] = signature.split('=', 2);
  if (!algorithm || !digest || !['sha256', 'sha384', 'sha512'].includes(algorithm)) throw new SignatureInvalid('Flux (unsupported X-Signature form)');
  const expected = createHmac(algorithm, secret).update(body).digest('hex');
  if (!safeEqual(expected, digest.toLowerCase())) throw new SignatureInvalid('Flux');
}
