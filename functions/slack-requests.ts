import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Env } from '../lib/core/config';
import { consumeSlackRequest } from '../lib/flows/interactions/consume-slack-request';
import { logger } from '../lib/core/log';
import { consumeSqsBatch } from '../lib/adapters/queue';
import { runtimeFor, slackConsumerDepsOf } from './compose/runtime';
import { delayRedelivery } from './compose/sqs-visibility';

/** The Slack requests queue: commands that need the store or a job, clicks, and refusals' audit lines. */
export async function handleSlackRequests(event: SQSEvent, context: Context, env: Env = process.env): Promise<SQSBatchResponse> {
  logger.addContext(context);
  return consumeSqsBatch(event, context, async (message) => consumeSlackRequest(slackConsumerDepsOf(await runtimeFor(env)), message), { delayRedelivery: delayRedelivery(env) });
}

export const handler = (event: SQSEvent, context: Context) => handleSlackRequests(event, context);
