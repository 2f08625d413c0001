import type { Config } from '../../core/config/schema';
import { MalformedRequest } from '../../core/http/errors';
import { json, text, type HttpResponse } from '../../core/http/response';
import { verifySlackRequest } from '../../core/http/signatures';
import { planSlashCommand, refusalAuditId } from '../interactions/plan-slash-command';
import { interactionPayloadOf, parseSlashCommand } from '../interactions/slack-payloads';
import { logger } from '../../core/log';
import type { MessageQueue } from '../../adapters/queue/message-queue';
import { NotQueued, RequestTooLarge } from './errors';
import { slackRequestMessage, type SlackRequestMessage } from './slack-request-message';

/** Slack's requests are a few KB; an interaction carries its message (≤ 50 blocks), well under 1 MiB. */
export const MAX_SLACK_BYTES = 1024 * 1024;

export interface SlackIngressDeps {
  /** SLACK_SIGNING_SECRET; unset fails closed. */
  signingSecret: string | undefined;
  /** The Slack requests queue (SQS in AWS). */
  queue: MessageQueue;
  /** config.yaml, loaded once per container: what the ingress answers from. */
  config: () => Promise<Config>;
  /** Injected so the 5-minute replay window is testable (bolt-js does the same). */
  nowMilliseconds?: () => number;
}

export interface SlackRequest {
  route: 'commands' | 'interactions';
  header(name: string): string | undefined;
  body: Buffer;
}

/** Makes a verified Slack request durable on the Slack requests queue; 413 when even its slim form exceeds SQS's limit, 503 when the queue refuses it. */
export async function enqueueSlackRequest(queue: MessageQueue, message: SlackRequestMessage): Promise<void> {
  const outgoing = slackRequestMessage(message);
  if (!outgoing) throw new RequestTooLarge(Buffer.byteLength(JSON.stringify(message)), MAX_SLACK_BYTES);
  try {
    await queue.send(outgoing);
  } catch (err) {
    logger.error('could not queue the Slack request; answering 503', { kind: message.kind, error: err as Error });
    throw new NotQueued(`Slack ${message.kind}`, { cause: err });
  }
}

/**
 * POST /slack/commands and /slack/interactions, the ack path (DESIGN §3 flow 0). Slack shows the user an
 * error after 3 s. A command that config alone answers (help, unknown, bad arguments, a refusal) is answered
 * in the response, its audit line (if any) made durable first; anything else is queued and acknowledged
 * with an empty 200, and the consumer answers in the channel or through the response_url.
 */
export async function acceptSlackRequest(deps: SlackIngressDeps, request: SlackRequest): Promise<HttpResponse> {
  const { body } = request;
  if (body.length > MAX_SLACK_BYTES) throw new RequestTooLarge(body.length, MAX_SLACK_BYTES);
  verifySlackRequest(deps.signingSecret, body, request.header('x-slack-request-timestamp'), request.header('x-slack-signature'), deps.nowMilliseconds ? { nowMilliseconds: deps.nowMilliseconds } : {});
  const form = body.toString('utf8');

  if (request.route === 'interactions') {
    // The consumer reads the rest; here the body must be a form whose payload is JSON with a type.
    if (!interactionPayloadOf(form).kind) throw new MalformedRequest('not a Slack interaction: payload has no type');
    await enqueueSlackRequest(deps.queue, { v: 1, kind: 'interaction', body: form });
    return text(200, '');
  }

  const slash = parseSlashCommand(form);
  const plan = planSlashCommand(await deps.config(), slash);
  if (plan.kind === 'work') {
    await enqueueSlackRequest(deps.queue, { v: 1, kind: 'command', body: form });
    return text(200, '');
  }
  if (plan.audit) await enqueueSlackRequest(deps.queue, { v: 1, kind: 'audit', id: refusalAuditId(slash.trigger_id), at: new Date().toISOString(), entry: plan.audit });
  return json(200, plan.reply);
}
