import { json, text, type HttpResponse } from '../../core/http/response';
import { verifySlackRequest } from '../../core/http/signatures';
import { logger } from '../../core/log';
import { parseSlackEvent } from '../interactions/slack-events';
import { RequestTooLarge } from './errors';
import { enqueueSlackRequest, MAX_SLACK_BYTES, type SlackIngressDeps } from './accept-slack-request';

export interface SlackEventRequest {
  header(name: string): string | undefined;
  body: Buffer;
}

/**
 * POST /slack/events, the Events API's ack path (DESIGN §3 flow 0): Slack retries an event it has no 200 for
 * within 3 s (X-Slack-Retry-Num 1, 2, 3), so nothing here calls anything but the queue. The url_verification
 * challenge is answered; an `app_mention` is made durable and acknowledged, and the consumer (which claims
 * its event_id, so neither a retry nor a redelivery runs it twice) answers in the mention's thread.
 */
export async function acceptSlackEvent(deps: Pick<SlackIngressDeps, 'signingSecret' | 'queue' | 'nowMilliseconds'>, request: SlackEventRequest): Promise<HttpResponse> {
  const { body } = request;
  if (body.length > MAX_SLACK_BYTES) throw new RequestTooLarge(body.length, MAX_SLACK_BYTES);
  verifySlackRequest(deps.signingSecret, body, request.header('x-slack-request-timestamp'), request.header('x-slack-signature'), deps.nowMilliseconds ? { nowMilliseconds: deps.nowMilliseconds } : {});
  const event = parseSlackEvent(body.toString('utf8'));
  switch (event.kind) {
    case 'url_verification':
      return json(200, { challenge: event.challenge });
    case 'ignored':
      logger.info('Slack event ignored', { reason: event.reason });
      return text(200, '');
    case 'mention':
      // A retry is queued like the first attempt: that one may have failed before it was durable (a 503),
      // and the consumer's claim on the event_id drops whichever copy comes second.
      if (request.header('x-slack-retry-num')) logger.info('Slack retried an event; queueing it for the consumer to deduplicate', { eventId: event.mention.eventId, retryReason: request.header('x-slack-retry-reason') });
      await enqueueSlackRequest(deps.queue, { v: 1, kind: 'mention', body: JSON.stringify(event.mention) });
      return text(200, '');
  }
}
