import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from '../../core/validation';
import { logger } from '../../core/log';
import { consumeSqsBatch, type ReceivedMessage, type RetryPolicy, type SqsConsumerOptions } from '../../adapters/queue';
import { MalformedJobMessage } from './errors';

const messageSchema = z.object({ jobId: z.string().check(z.minLength(1), z.maxLength(200)) });

/**
 * The jobs queue's `maxReceiveCount` (serverless.yml; AWS advises at least 5 for a Lambda consumer, whose
 * throttled or timed-out receives count too): a job fails in runJob and is reported, so a message fails
 * only when reporting does or the worker died. 10 s, 20 s, 40 s, 80 s between deliveries.
 */
export const JOBS_RETRY_POLICY: RetryPolicy = { maxReceives: 5, baseDelaySeconds: 10, maxDelaySeconds: 300 };

export function jobIdOfMessage(body: string): string {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedJobMessage('body is not JSON');
  }
  const parsed = messageSchema.safeParse(json);
  if (!parsed.success) throw new MalformedJobMessage('no jobId');
  return parsed.data.jobId;
}

/**
 * One jobs message: its job id, run by `handle`. A malformed message is logged and dropped, since
 * redelivering it cannot help (the DLQ would only collect noise).
 */
export async function consumeJobMessage(message: ReceivedMessage, handle: (jobId: string) => Promise<unknown>): Promise<void> {
  let jobId: string;
  try {
    jobId = jobIdOfMessage(message.body);
  } catch (err) {
    logger.error('dropping malformed jobs message', { error: err as Error });
    return;
  }
  // Every line about this record names its job (the partial-failure log included).
  logger.appendKeys({ jobId });
  try {
    await handle(jobId);
  } finally {
    logger.removeKeys(['jobId']);
  }
}

/**
 * One SQS batch of the jobs queue: failed records alone go back to the queue (partial batch response), so
 * one bad job does not rerun the others (serverless.yml sends one message per invocation anyway).
 */
export function processJobBatch(event: SQSEvent, context: Context, handle: (jobId: string) => Promise<unknown>, options: Omit<SqsConsumerOptions, 'policy'> = {}): Promise<SQSBatchResponse> {
  return consumeSqsBatch(event, context, (message) => consumeJobMessage(message, handle), { ...options, policy: JOBS_RETRY_POLICY });
}
