import type { Context, SQSEvent } from 'aws-lambda';
import { queueUrlOfArn, retryDelaySeconds } from '../../lib/adapters/queue';
import { logger } from '../../lib/core/log';
import { JOBS_RETRY_POLICY } from '../../lib/flows/jobs';

/**
 * How long before the worker's Lambda timeout its message is made visible again. Lambda kills a job that
 * runs out of time without a word; its message would then stay hidden for the queue's whole visibility
 * timeout (36 minutes, 6x the worker's: serverless.yml).
 */
export const TIMEOUT_MARGIN_MS = 10_000;

/** What flux leaves the job to store its result and report it in Slack: flux's timeout ends this long before the Lambda's. */
export const FLUX_REPORT_MARGIN_MS = 30_000;

/**
 * Arms, for each record of a worker invocation, a ChangeMessageVisibility shortly before the Lambda's
 * deadline: if the timeout then kills the job, its message comes back after the margin plus the backoff
 * of this delivery (seconds, not 36 minutes), and the job's redelivery reports it as stale. The returned
 * function disarms it when the batch ends in time. Nothing happens outside Lambda (no deadline).
 */
export function redeliverBeforeTimeout(
  event: Pick<SQSEvent, 'Records'>,
  context: Context,
  delayRedelivery: (record: { queueUrl: string; receiptHandle: string }, seconds: number) => Promise<void>,
): () => void {
  if (typeof context.getRemainingTimeInMillis !== 'function') return () => undefined;
  const timer = setTimeout(
    () => {
      for (const record of event.Records) {
        const receiveCount = Number(record.attributes.ApproximateReceiveCount) || 1;
        const seconds = Math.ceil(TIMEOUT_MARGIN_MS / 1000) + retryDelaySeconds(undefined, receiveCount, JOBS_RETRY_POLICY);
        logger.warn('the job is about to run out of Lambda time; its message will be delivered again', { messageId: record.messageId, receiveCount, retryInSeconds: seconds });
        void delayRedelivery({ queueUrl: queueUrlOfArn(record.eventSourceARN), receiptHandle: record.receiptHandle }, seconds).catch((err: unknown) =>
          logger.warn('could not shorten the visibility of a job about to time out; the queue visibility timeout applies', { error: err as Error }),
        );
      }
    },
    Math.max(0, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS),
  );
  return () => clearTimeout(timer);
}

/** The Lambda's remaining time, for workerDepsOf's flux timeout; none outside Lambda. */
export function remainingTimeOf(context: Context): { remainingMs?: () => number } {
  return typeof context.getRemainingTimeInMillis === 'function' ? { remainingMs: () => context.getRemainingTimeInMillis() } : {};
}
