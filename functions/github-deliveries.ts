import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Env } from '../lib/core/config';
import { logger } from '../lib/core/log';
import { consumeGithubDelivery } from '../lib/flows/notices/consume-delivery';
import { consumeSqsBatch } from '../lib/adapters/queue';
import { deliveryDepsOf, runtimeFor } from './compose/runtime';
import { delayRedelivery } from './compose/sqs-visibility';

/** The GitHub deliveries queue (FIFO, one group per PR): each record is one verified delivery. */
export async function handleGithubDeliveries(event: SQSEvent, context: Context, env: Env = process.env): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return consumeSqsBatch(
    event,
    context,
    async (message) => {
      await consumeGithubDelivery(deliveryDepsOf(await runtimeFor(env)), message);
    },
    { fifo: true, delayRedelivery: delayRedelivery(env) },
  );
}

export const handler = (event: SQSEvent, context: Context) => handleGithubDeliveries(event, context);
