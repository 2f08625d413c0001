import { MalformedRequest } from '../../core/http/errors';
import { decodeGithubDelivery, MalformedQueueMessage } from '../ingress/decode-messages';
import { logger } from '../../core/log';
import type { ReceivedMessage } from '../../adapters/queue';
import { receiveDelivery, type DeliveryDeps } from './receive-delivery';

/**
 * The GitHub deliveries queue's consumer (DESIGN §3 flows 0 and 1): one verified delivery, processed at most
 * once. A failure (Slack or GitHub down, a rate limit) throws, so the queue delivers it again after its
 * backoff; the claim it made is released first. A message no retry can fix is logged and dropped.
 */
export async function consumeGithubDelivery(deps: DeliveryDeps, message: ReceivedMessage): Promise<void> {
  let delivery;
  try {
    delivery = decodeGithubDelivery(message.body);
  } catch (err) {
    if (!(err instanceof MalformedQueueMessage)) throw err;
    logger.error('dropping a malformed GitHub deliveries message', { error: err });
    return;
  }
  logger.appendKeys({ deliveryId: delivery.id, githubEvent: delivery.event });
  try {
    const outcome = await receiveDelivery(deps, delivery);
    logger.info('delivery processed', { outcome, receiveCount: message.receiveCount, ...(delivery.trimmed ? { trimmed: true } : {}) });
  } catch (err) {
    // GitHub signed it, so a payload our schema refuses is a GitHub change or our bug, not a passing fault.
    if (!(err instanceof MalformedRequest)) throw err;
    logger.error('dropping a delivery whose payload Fluxline cannot read', { error: err });
  } finally {
    logger.removeKeys(['deliveryId', 'githubEvent']);
  }
}
