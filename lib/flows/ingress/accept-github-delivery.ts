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
export const HANDLED_GITHUB_EVENTS: ReadonlySet<string> = new Set(['pull_request', 'check_run']);

/**
 * The `check_run` actions that ask for a diff: *Re-run* on GitHub and the run's *Run flux diff* button.
 * The App also hears `created` and `completed` for every run it writes; queueing those would only be work
 * for the consumer to drop.
 */
export const RERUN_CHECK_ACTIONS: ReadonlySet<string> = new Set(['rerequested', 'requested_action']);

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

  if (event === 'check_run') return queueCheckRun(deps, { id, rawPayload, payload: payload as Record<string, unknown> });

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

/**
 * A check run re-run, made durable like a pull_request delivery: in its PR's FIFO group when GitHub names
 * the PR (it names none for a fork's), so it queues after the push that came before it. Whose App made the
 * run is the consumer's to check: the ack path knows only the webhook secret.
 */
async function queueCheckRun(deps: GithubIngressDeps, delivery: { id: string; rawPayload: string; payload: Record<string, unknown> }): Promise<HttpResponse> {
  const { action, repository, check_run: checkRun } = delivery.payload as { action?: unknown; repository?: { full_name?: unknown }; check_run?: { pull_requests?: { number?: unknown }[] } };
  if (typeof action !== 'string' || typeof repository?.full_name !== 'string' || typeof checkRun !== 'object' || checkRun === null) {
    throw new MalformedRequest('not a check_run payload: action, check_run and repository.full_name are required');
  }
  if (!RERUN_CHECK_ACTIONS.has(action)) return json(202, { status: 'ignored', reason: `check_run.${action} is not handled` });
  const number = Array.isArray(checkRun.pull_requests) ? checkRun.pull_requests[0]?.number : undefined;
  const message = githubDeliveryMessage({ ...delivery, event: 'check_run' }, Number.isSafeInteger(number) ? { repository: repository.full_name, number: number as number } : undefined);
  if (!message) throw new RequestTooLarge(Buffer.byteLength(delivery.rawPayload), MAX_WEBHOOK_BYTES);
  try {
    await deps.queue.send(message);
  } catch (err) {
    logger.error('could not queue the delivery; answering 503 so it shows as failed and is redelivered', { error: err as Error });
    throw new NotQueued(`delivery ${delivery.id}`, { cause: err });
  }
  logger.info('delivery queued', { repository: repository.full_name, action });
  return json(202, { status: 'queued', delivery: delivery.id });
}
