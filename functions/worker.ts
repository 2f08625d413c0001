import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Env } from '../lib/core/config';
import { processJobBatch } from '../lib/flows/jobs';
import { logger } from '../lib/core/log';
import { flushMetrics } from '../lib/core/metrics';
import { processJob } from '../lib/flows/worker';
import { runtimeFor, workerDepsOf } from './compose/runtime';
import { delayRedelivery } from './compose/sqs-visibility';

/** SQS consumer: each message carries one job id; failed records alone are returned for redelivery. */
export async function handleJobMessages(event: SQSEvent, context: Context, env: Env = process.env): Promise<SQSBatchResponse> {
  logger.addContext(context);
  try {
    // The runtime is built inside the record handler, so a cold start's lines carry the job id too.
    return await processJobBatch(event, context, async (jobId) => processJob(workerDepsOf(await runtimeFor(env)), jobId), { delayRedelivery: delayRedelivery(env) });
  } finally {
    flushMetrics();
  }
}

export const handler = (event: SQSEvent, context: Context) => handleJobMessages(event, context);
