import type { Context, SQSEvent, SQSBatchResponse } from 'aws-lambda';
import { processJobBatch } from '../lib/jobs';
import { runtimeFor } from '../lib/runtime';
import { processJob } from '../lib/worker';

/** SQS consumer: each message carries one job id; failed records are returned for redelivery only. */
export async function handler(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  const runtime = await runtimeFor(process.env);
  return processJobBatch(event, context, (jobId) => processJob(runtime, jobId));
}
