import { randomUUID } from 'node:crypto';
import * as z from '../../lib/core/validation';
import { signFluxBody, signGithubBody, signSlackBody } from './signing';

/**
 * events/*.json are API Gateway HTTP API (payload 2.0) events, the shape Lambda receives and
 * `serverless invoke local -p` takes. This turns one into the HTTP request a real sender would make now:
 * same body and headers, fresh ids, signed with the secrets the local server uses.
 */

export const sampleEventSchema = z.object({
  version: z.literal('2.0'),
  rawPath: z.string().check(z.startsWith('/')),
  rawQueryString: z._default(z.string(), ''),
  headers: z.record(z.string(), z.string()),
  requestContext: z.object({ http: z.object({ method: z.string().check(z.minLength(1)) }) }),
  body: z.string(),
  isBase64Encoded: z._default(z.boolean(), false),
});
export type SampleEvent = z.infer<typeof sampleEventSchema>;

export class InvalidSampleEvent extends Error {
  constructor(source: string, reason: string) {
    super(`${source} is not an API Gateway v2 event file: ${reason}`);
    this.name = 'InvalidSampleEvent';
  }
}

export function parseSampleEvent(text: string, source: string): SampleEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidSampleEvent(source, `not JSON (${(err as Error).message})`);
  }
  const result = sampleEventSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidSampleEvent(source, issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid');
  }
  return result.data;
}

export type SampleKind = 'github' | 'slack' | 'flux' | 'other';

export function kindOf(event: Pick<SampleEvent, 'rawPath'>): SampleKind {
  if (event.rawPath === '/github/webhook') return 'github';
  if (event.rawPath.startsWith('/slack/')) return 'slack';
  if (event.rawPath.startsWith('/flux/events/')) return 'flux';
  return 'other';
}

export interface Secrets {
  GITHUB_WEBHOOK_SECRET: string;
  SLACK_SIGNING_SECRET: string;
  FLUX_WEBHOOK_TOKEN: string;
}

export interface PrepareOptions {
  secrets: Secrets;
  /**
   * GitHub: the X-GitHub-Delivery to send (default: a fresh one, so every send is a new delivery).
   * Slack interactions: the action_ts of the click (default: now, so every send is a new click).
   */
  delivery?: string;
  nowMilliseconds?: () => number;
  /** Slack: where the request's response_url points instead of hooks.slack.com (npm start's Slack stand-in). */
  responseUrlOrigin?: string;
}

export interface PreparedRequest {
  method: string;
  /** Path and query, to append to the server's base URL. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  /** One line saying what this is, for the console. */
  summary: string;
}

/** Headers API Gateway adds or that belong to the original connection: the local HTTP client sets its own. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'x-amzn-trace-id', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'connection', 'accept-encoding']);

function headerOf(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

/** A Slack interaction with a fresh click id, or with the one given (the same click again, as a Slack retry). */
/** The same path on another origin: Slack's response URLs served by a local stand-in. */
function rehome(url: string | null | undefined, origin: string | undefined): string | undefined {
  if (!url || !origin) return url ?? undefined;
  const { pathname } = new URL(url);
  return new URL(pathname, origin).toString();
}

function freshInteraction(body: string, actionTs: string, responseUrlOrigin: string | undefined): string {
  const form = new URLSearchParams(body);
  const raw = form.get('payload');
  if (!raw) return body;
  const payload = JSON.parse(raw) as { trigger_id?: string; response_url?: string; actions?: { action_ts?: string }[] };
  for (const action of payload.actions ?? []) action.action_ts = actionTs;
  payload.trigger_id = `${actionTs.replace('.', '')}.${randomUUID().replace(/-/g, '')}`;
  const responseUrl = rehome(payload.response_url, responseUrlOrigin);
  if (responseUrl) payload.response_url = responseUrl;
  form.set('payload', JSON.stringify(payload));
  return form.toString();
}

/** Every send of a slash command is a new command (a new trigger_id), unless `delivery` repeats one, as a Slack retry does. */
function freshCommand(body: string, triggerId: string, responseUrlOrigin: string | undefined): string {
  const form = new URLSearchParams(body);
  form.set('trigger_id', triggerId);
  const responseUrl = rehome(form.get('response_url'), responseUrlOrigin);
  if (responseUrl) form.set('response_url', responseUrl);
  return form.toString();
}

export function prepareRequest(event: SampleEvent, { secrets, delivery, nowMilliseconds = Date.now, responseUrlOrigin }: PrepareOptions): PreparedRequest {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.headers)) if (!CONNECTION_HEADERS.has(key.toLowerCase())) headers[key.toLowerCase()] = value;
  let body = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  const path = `${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  const method = event.requestContext.http.method;
  let summary = `${method} ${path}`;

  switch (kindOf(event)) {
    case 'github': {
      const id = delivery ?? randomUUID();
      headers['x-github-delivery'] = id;
      headers['x-hub-signature-256'] = signGithubBody(secrets.GITHUB_WEBHOOK_SECRET, body);
      const action = (JSON.parse(body.toString('utf8')) as { action?: unknown }).action;
      summary = `${headerOf(headers, 'x-github-event') ?? '?'}${typeof action === 'string' ? `.${action}` : ''}, delivery ${id}`;
      break;
    }
    case 'slack': {
      const now = nowMilliseconds();
      const timestamp = Math.floor(now / 1000);
      if (event.rawPath.endsWith('/interactions')) {
        const actionTs = delivery ?? `${timestamp}.${String(now % 1000).padStart(3, '0')}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
        body = Buffer.from(freshInteraction(body.toString('utf8'), actionTs, responseUrlOrigin));
        summary = `Slack interaction, action_ts ${actionTs}`;
      } else {
        body = Buffer.from(freshCommand(body.toString('utf8'), delivery ?? `${timestamp}.${randomUUID().replace(/-/g, '').slice(0, 12)}`, responseUrlOrigin));
        const form = new URLSearchParams(body.toString('utf8'));
        summary = `Slack ${form.get('command') ?? 'command'} ${form.get('text') ?? ''}`.trim();
      }
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = signSlackBody(secrets.SLACK_SIGNING_SECRET, timestamp, body);
      break;
    }
    case 'flux':
      headers['x-signature'] = signFluxBody(secrets.FLUX_WEBHOOK_TOKEN, body);
      summary = `Flux event for ${event.rawPath.split('/').pop() ?? '?'}`;
      break;
    case 'other':
      break;
  }
  return { method, path, headers, body, summary };
}
