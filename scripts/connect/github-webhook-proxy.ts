import { SmeeClient } from 'smee-client';

/**
 * `npm start` with WEBHOOK_PROXY_URL (a smee.io channel, the GitHub App's webhook URL): real GitHub
 * deliveries reach the local run with no public URL, as in Probot's local setup. smee-client reads the
 * channel's server-sent events and posts each delivery, its headers included (X-Hub-Signature-256), to the
 * local POST /github/webhook, which verifies it as in a deployment: nothing here checks or signs anything.
 * smee-client re-serialises the JSON body; GitHub's compact JSON comes out byte for byte, and a delivery
 * that did not would fail the signature check (401) rather than be trusted.
 */

export interface WebhookProxyOptions {
  /** WEBHOOK_PROXY_URL, e.g. https://smee.io/AbCd1234. */
  source: string;
  /** The local server, e.g. http://localhost:3000. */
  target: string;
  log: (line: string) => void;
  /** How long to wait for the channel before giving up. @default 10000 */
  connectTimeoutMs?: number;
}

export interface WebhookProxy {
  stop(): Promise<void>;
}

export async function startWebhookProxy({ source, target, log, connectTimeoutMs = 10_000 }: WebhookProxyOptions): Promise<WebhookProxy> {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new Error(`WEBHOOK_PROXY_URL ${JSON.stringify(source)} is not a URL: use the channel URL of https://smee.io/new, the one the GitHub App's webhook URL is set to`);
  }
  // Deliveries carry the PR's code and names: only over TLS, except to a proxy on this machine.
  if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`WEBHOOK_PROXY_URL must be https: ${source}`);
  const client = new SmeeClient({
    source: url.toString(),
    target: new URL('/github/webhook', target).toString(),
    // Its lines say which channel, and the status of each forward (`POST …/github/webhook - 202`).
    logger: { info: (...parts: unknown[]) => log(`Webhook proxy: ${parts.join(' ')}`), error: (...parts: unknown[]) => log(`Webhook proxy: ${parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' ')}`) },
    maxConnectionTimeout: connectTimeoutMs,
  });
  try {
    await client.start();
  } catch (err) {
    throw new Error(`Webhook proxy: could not connect to ${url.origin}${url.pathname} (${(err as Error).message || 'no answer'}): check WEBHOOK_PROXY_URL`, { cause: err });
  }
  return { stop: () => client.stop() };
}
