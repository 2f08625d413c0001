import { createHmac } from 'node:crypto';

/**
 * The sender's side of the signatures lib/core/http verifies, for `npm run send` and the sample events.
 * Both sign the exact bytes that go on the wire: re-serialising the JSON would change them.
 */

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export function signGithubBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Slack v0: `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + raw body)>`. */
export function signSlackBody(secret: string, timestamp: number | string, body: string | Buffer): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

/** Flux notification-controller `generic-hmac` Provider: `X-Signature: sha256=<hex HMAC-SHA256(token, raw body)>`. */
export function signFluxBody(token: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', token).update(body).digest('hex')}`;
}

/** The secrets `npm start` uses when none are set: local only, never for a real GitHub or Slack app. */
export const LOCAL_SECRETS = {
  GITHUB_WEBHOOK_SECRET: 'fluxline-local-webhook-secret',
  SLACK_SIGNING_SECRET: 'fluxline-local-signing-secret',
  FLUX_WEBHOOK_TOKEN: 'fluxline-local-flux-token',
} as const;
