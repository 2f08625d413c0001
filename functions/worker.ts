import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Env } from '../lib/config';
import { processJobBatch } from '../lib/jobs';
import { runtimeFor } from '../lib/runtime';
import { processJob } from '../lib/worker';

/** SQS consumer: each message carries one job id; failed records alone are returned for redelivery. */
export async function handleJobMessages(event: SQSEvent, context: Context, env: Env = process.env): Promise<SQSBatchResponse> {
  const runtime = await runtimeFor(env);
  return processJobBatch(event, context, (jobId) => processJob(runtime, jobId));
}

export const handler = (event: SQSEvent, context: Context) => handleJobMessages(event, context);
