import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Env } from '../lib/core/config';
import { processJobBatch } from '../lib/flows/jobs';
import { logger } from '../lib/core/log';
import { flushMetrics } from '../lib/core/metrics';
import { processJob } from '../lib/flows/worker';
import { runtimeFor, workerDepsOf } from './compose/runtime';
import { delayRedelivery } from './compose/sqs-visibility';
import { redeliverBeforeTimeout, remainingTimeOf } from './compose/job-deadline';

/** SQS consumer: each message carries one job id; failed records alone are returned for redelivery. */
export async function handleJobMessages(event: SQSEvent, context: Context, env: Env = process.env): Promise<SQSBatchResponse> {
  logger.addContext(context);
  const backOff = delayRedelivery(env);
  // Before a timeout kills the job, its message is set to come back in seconds (functions/compose/job-deadline.ts).
  const disarm = redeliverBeforeTimeout(event, context, backOff);
  try {
    // The runtime is built inside the record handler, so a cold start's lines carry the job id too.
    return await processJobBatch(event, context, async (jobId) => processJob(workerDepsOf(await runtimeFor(env), remainingTimeOf(context)), jobId), { delayRedelivery: backOff });
  } finally {
    disarm();
    flushMetrics();
  }
}

export const handler = (event: SQSEvent, context: Context) => handleJobMessages(event, context);
