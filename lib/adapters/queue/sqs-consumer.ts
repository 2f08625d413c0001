import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../core/log';
import { recordFailure } from '../../core/metrics/failures';
import type { Consume } from './message-queue';
import { retryDelaySeconds, SQS_RETRY_POLICY, type RetryPolicy } from './retry-delay';

export interface SqsConsumerOptions {
  /** A FIFO queue: a failed message fails the rest of its group in this batch, so the group's order holds. */
  fifo?: boolean;
  /** Must match the queue's `maxReceiveCount` (serverless.yml). @default SQS_RETRY_POLICY */
  policy?: RetryPolicy;
  /**
   * Sets how long a failed message stays invisible (SQS ChangeMessageVisibility). Without it, the queue's
   * own visibility timeout applies; with it, a Retry-After is honoured and backoff grows with each failure.
   */
  delayRedelivery?: (record: { queueUrl: string; receiptHandle: string }, seconds: number) => Promise<void>;
}

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue's URL, which ChangeMessageVisibility takes. */
export function queueUrlOfArn(arn: string): string {
  const [, , , region = '', account = '', name = ''] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

/**
 * One SQS batch for one consumer. Failed records alone go back to the queue (partial batch response), each
 * after the backoff its failure asks for; after `maxReceives` SQS moves it to the dead-letter queue, whose
 * alarm tells an operator. Records are consumed one after the other: the logger's keys are per record.
 */
export async function consumeSqsBatch(event: SQSEvent, context: Context, consume: Consume, options: SqsConsumerOptions = {}): Promise<SQSBatchResponse> {
  const policy = options.policy ?? SQS_RETRY_POLICY;
  const recordHandler = async (record: SQSRecord): Promise<void> => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
    logger.appendKeys({ messageId: record.messageId });
    try {
      await consume({ messageId: record.messageId, body: record.body, receiveCount });
    } catch (err) {
      // The batch answers a partial failure, so Lambda's Errors metric does not count this one.
      recordFailure('message');
      const last = receiveCount >= policy.maxReceives;
      if (last) {
        logger.error('message dead-lettered after its last delivery failed', { receiveCount, error: err as Error });
      } else if (options.delayRedelivery) {
        const seconds = retryDelaySeconds(err, receiveCount, policy);
        logger.warn('message failed; it will be delivered again', { receiveCount, retryInSeconds: seconds, error: err as Error });
        // Best effort: if this call fails, the queue's visibility timeout still brings the message back.
        await options.delayRedelivery({ queueUrl: queueUrlOfArn(record.eventSourceARN), receiptHandle: record.receiptHandle }, seconds).catch((visibilityError: unknown) =>
          logger.warn('could not delay the redelivery; the queue visibility timeout applies', { error: visibilityError as Error }),
        );
      }
      throw err;
    } finally {
      logger.removeKeys(['messageId']);
    }
  };
  if (options.fifo) {
    return processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), { context, skipGroupOnError: true, throwOnFullBatchFailure: false });
  }
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), { context, throwOnFullBatchFailure: false, processInParallel: false });
}
