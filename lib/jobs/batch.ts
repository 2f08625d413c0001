import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from '../validation';
import { logger } from '../log';
import { MalformedJobMessage } from './errors';

const messageSchema = z.object({ jobId: z.string().check(z.minLength(1), z.maxLength(200)) });

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

const processor = new BatchProcessor(EventType.SQS);

/**
 * One SQS batch: each record is one job id. Failed records alone go back to the queue (partial batch
 * response), so one bad job does not rerun the others; a malformed message is logged and dropped,
 * since redelivering it cannot help (the DLQ would only collect noise).
 */
export async function processJobBatch(event: SQSEvent, context: Context, handle: (jobId: string) => Promise<unknown>): Promise<SQSBatchResponse> {
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    // Every line about this record names it, and its job once known (the partial-failure log included).
    logger.appendKeys({ messageId: record.messageId });
    try {
      let jobId: string;
      try {
        jobId = jobIdOfMessage(record.body);
      } catch (err) {
        logger.error('dropping malformed jobs message', { error: err as Error });
        return;
      }
      logger.appendKeys({ jobId });
      await handle(jobId);
    } finally {
      logger.removeKeys(['messageId', 'jobId']);
    }
  };
  // One record after the other: the logger's keys are per record, and two flux diffs in one Lambda would
  // only compete for its CPU and /tmp (serverless.yml sends one message per invocation anyway).
  return processPartialResponse(event, recordHandler, processor, { context, throwOnFullBatchFailure: false, processInParallel: false });
}
