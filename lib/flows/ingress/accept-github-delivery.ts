import { MalformedRequest } from '../../core/http/errors';
import { json, type HttpResponse } from '../../core/http/response';
import { verifyGithubRequest } from '../../core/http/signatures';
import { logger } from '../../core/log';
import type { MessageQueue } from '../../adapters/queue/message-queue';
import { NotQueued, RequestTooLarge } from './errors';
import { githubDeliveryMessage } from './github-delivery-message';

/**
 * GitHub caps a webhook payload at 25 MB, but the events Fluxline handles are tens of KB (a PR's body is at
 * most 65,536 characters): 2 MiB is ample for them and bounds what an unauthenticated caller makes us hash.
 */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

/** The events a consumer acts on; anything else the App is subscribed to is acknowledged and dropped here. */
export const HANDLED_GITHUB_EVENTS: ReadonlySet<string> = new Set(['pull_request']);

export interface GithubIngressDeps {
  /** GITHUB_WEBHOOK_SECRET; unset fails closed. */
  secret: string | undefined;
  /** The GitHub deliveries queue (SQS FIFO in AWS). */
  queue: MessageQueue;
}

export interface GithubRequest {
  header(name: string): string | undefined;
  body: Buffer;
}

function pullRequestOf(payload: Record<string, unknown>): { repository: string; number: number } {
  const repository = (payload.repository as { full_name?: unknown } | undefined)?.full_name;
  const { number, action } = payload;
  if (typeof repository !== 'string' || !Number.isSafeInteger(number) || typeof action !== 'string') {
    throw new MalformedRequest('not a pull_request payload: action, number and repository.full_name are required');
  }
  return { repository, number: number as number };
}

/**
 * POST /github/webhook, the ack path (DESIGN §3 flow 0): bound the size, verify the signature on the raw
 * bytes, make the delivery durable on the queue, answer 202. No call to GitHub, Slack or Kubernetes: GitHub
 * gives up after 10 s, and a delivery that is on the queue survives their outages (the consumer retries).
 */
export async function acceptGithubDelivery(deps: GithubIngressDeps, request: GithubRequest): Promise<HttpResponse> {
  const { body } = request;
  if (body.length > MAX_WEBHOOK_BYTES) throw new RequestTooLarge(body.length, MAX_WEBHOOK_BYTES);
  if (body.length === 0) throw new MalformedRequest('empty body');
  await verifyGithubRequest(deps.secret, body, request.header('x-hub-signature-256'));

  const event = request.header('x-github-event');
  const id = request.header('x-github-delivery');
  if (!event) throw new MalformedRequest('missing X-GitHub-Event header');
  if (!id) throw new MalformedRequest('missing X-GitHub-Delivery header');
  const rawPayload = body.toString('utf8');
  let payload: unknown;
  try {
    payload = JSON.parse(rawPayload);
  } catch {
    throw new MalformedRequest('body is not valid JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new MalformedRequest('body is not a JSON object');

  if (event === 'ping') return json(200, { status: 'pong' });
  if (!HANDLED_GITHUB_EVENTS.has(event)) return json(202, { status: 'ignored', reason: `event ${event} is not handled` });

  const pullRequest = pullRequestOf(payload as Record<string, unknown>);
  const message = githubDeliveryMessage({ id, event, rawPayload, payload: payload as Record<string, unknown> }, pullRequest);
  if (!message) throw new RequestTooLarge(body.length, MAX_WEBHOOK_BYTES);
  try {
    await deps.queue.send(message);
  } catch (err) {
    logger.error('could not queue the delivery; answering 503 so it shows as failed and is redelivered', { error: err as Error });
    throw new NotQueued(`delivery ${id}`, { cause: err });
  }
  logger.info('delivery queued', { repository: pullRequest.repository, number: pullRequest.number, action: (payload as { action?: string }).action });
  return json(202, { status: 'queued', delivery: id });
}
