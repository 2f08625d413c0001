import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { signSlackBody } from '../lib/signing';

/**
 * `npm start` with SLACK_APP_TOKEN (`xapp-…`): the real workspace's commands, clicks and mentions reach the
 * local run over Socket Mode, with no public URL. Each envelope is turned back into the HTTP request Slack
 * would have posted (the same form or JSON body, `X-Slack-Retry-Num` for a redelivered event), signed with
 * SLACK_SIGNING_SECRET and posted to the local server's own /slack/* route, so the handlers that serve the
 * deployment verify and answer it: size limit, signature and replay window, grammar, authorization, dedupe.
 * What vouches for the envelope itself is the app-level token: only Slack hands out the link, to a caller
 * holding that token, over TLS. The handler's 2xx answer is the acknowledgement (a slash command's JSON
 * answer rides in it, as in the HTTP response); any other answer is not acknowledged, so Slack treats it as
 * it treats a failed HTTP request (an event is redelivered, a command shows the user an error).
 */

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SlackHttpRequest {
  path: '/slack/commands' | '/slack/interactions' | '/slack/events';
  contentType: string;
  body: string;
  /** X-Slack-Retry-Num and -Reason, for a redelivered event. */
  retry?: { num: number; reason: string };
}

/** Slack acknowledges within 3 s, as over HTTP; the handler's own budget is 2.5 s. */
const ANSWER_TIMEOUT_MS = 3_000;

/** The HTTP request Slack would have sent for this envelope's payload (api.slack.com/apis/socket-mode). */
export function httpRequestOf(type: string, payload: unknown, retry?: { num?: number; reason?: string }): SlackHttpRequest | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  if (type === 'slash_commands') {
    // The form fields of the HTTP post, as a JSON object of strings.
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(payload)) form.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    return { path: '/slack/commands', contentType: 'application/x-www-form-urlencoded', body: form.toString() };
  }
  if (type === 'interactive') return { path: '/slack/interactions', contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString() };
  if (type === 'events_api') {
    const redelivered = retry?.num ? { retry: { num: retry.num, reason: retry.reason ?? '' } } : {};
    return { path: '/slack/events', contentType: 'application/json', body: JSON.stringify(payload), ...redelivered };
  }
  return undefined;
}

export interface SocketModeRelayOptions {
  appToken: string;
  signingSecret: string;
  /** The local server, e.g. http://localhost:3000. */
  target: string;
  /** SLACK_API_URL (GovSlack, or a fake in tests). */
  slackApiUrl?: string;
  log: (line: string) => void;
  /** @default Date.now */
  nowMilliseconds?: () => number;
}

export interface SocketModeRelay {
  stop(): Promise<void>;
}

interface SlackEvent {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id: string;
  type: string;
  body: unknown;
  retry_num?: number;
  retry_reason?: string;
  accepts_response_payload?: boolean;
}

/** Connects to Slack (apps.connections.open, then the WebSocket) and relays until stopped. */
export async function startSlackSocketMode(options: SocketModeRelayOptions): Promise<SocketModeRelay> {
  // Slack answers a bot or user token with not_allowed_token_type, which the client retries for ever.
  if (!options.appToken.startsWith('xapp-')) throw new Error('SLACK_APP_TOKEN must be an app-level token (xapp-…), not the bot token: api.slack.com/apps → your app → Basic Information → App-Level Tokens → Generate, with the connections:write scope');
  const now = options.nowMilliseconds ?? Date.now;
  const logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (...parts: unknown[]) => options.log(`Socket Mode: ${parts.join(' ')}`),
    error: (...parts: unknown[]) => options.log(`Socket Mode: ${parts.join(' ')}`),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
  const client = new SocketModeClient({ appToken: options.appToken, logger, clientOptions: { ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}) } });

  async function relay(event: SlackEvent): Promise<void> {
    const request = httpRequestOf(event.type, event.body, { ...(event.retry_num !== undefined ? { num: event.retry_num } : {}), ...(event.retry_reason !== undefined ? { reason: event.retry_reason } : {}) });
    if (!request) {
      options.log(`Socket Mode: envelope ${event.envelope_id} of type ${event.type} is not one Fluxline serves: not acknowledged`);
      return;
    }
    const timestamp = Math.floor(now() / 1000);
    const headers: Record<string, string> = {
      'content-type': request.contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackBody(options.signingSecret, timestamp, request.body),
      ...(request.retry ? { 'x-slack-retry-num': String(request.retry.num), 'x-slack-retry-reason': request.retry.reason } : {}),
    };
    let response: Response;
    try {
      response = await fetch(new URL(request.path, options.target), { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    } catch (err) {
      options.log(`Socket Mode: ${event.type} → POST ${request.path} failed (${(err as Error).message}): not acknowledged, Slack will show it as failed`);
      return;
    }
    const text = await response.text();
    if (!response.ok) {
      // The handler's one-line reason, never the body Slack sent (it may hold user text).
      options.log(`Socket Mode: ${event.type} → POST ${request.path} ${response.status} ${text.slice(0, 200)}: not acknowledged`);
      return;
    }
    const answer = event.accepts_response_payload && text && (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    await event.ack(answer);
    options.log(`Socket Mode: ${event.type} → POST ${request.path} ${response.status}, acknowledged`);
  }

  client.on('slack_event', (event: SlackEvent) => {
    relay(event).catch((err: unknown) => options.log(`Socket Mode: could not acknowledge envelope ${event.envelope_id}: ${(err as Error).message}`));
  });
  try {
    await client.start();
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    throw new Error(`Socket Mode could not connect${code ? ` (${code})` : ''}: ${code === 'invalid_auth' || code === 'not_authed' ? 'SLACK_APP_TOKEN is not a valid app-level token of this app (revoked, or of another app); generate one under Basic Information → App-Level Tokens with connections:write' : (err as Error).message}`, { cause: err });
  }
  return { stop: () => client.disconnect() };
}
