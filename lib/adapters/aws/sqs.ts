import { createHash } from 'node:crypto';
import type { AwsEnv } from './credentials';
import { AwsRequestFailed, MessageChecksumMismatch, MessageGroupRequired, MessageTooLarge } from './errors';
import { awsJsonRequest, type AwsCallOptions } from './json-request';
import { awsOptionsFromEnv } from './options';

/**
 * SQS's limit on a message, body and attributes together (we send no attributes):
 * docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
export const SQS_MAX_MESSAGE_BYTES = 262_144;

export interface SqsMessage {
  queueUrl: string;
  body: string;
  /** MessageGroupId: required by FIFO queues, which keep order within a group. */
  groupId?: string;
  /** MessageDeduplicationId: a FIFO queue drops a repeat within 5 minutes (unless content-based deduplication is on). */
  deduplicationId?: string;
  /** Standard queues only (FIFO queues delay per queue). */
  delaySeconds?: number;
}

export interface SentMessage {
  messageId: string;
  /** FIFO queues only. */
  sequenceNumber?: string;
}

const SQS = { service: 'sqs', contentType: 'application/x-amz-json-1.0' } as const;

/** AmazonSQS.SendMessage over the AWS JSON 1.0 protocol. */
export async function sendSqsMessage(options: AwsCallOptions, message: SqsMessage): Promise<SentMessage> {
  const bytes = Buffer.byteLength(message.body, 'utf8');
  if (bytes > SQS_MAX_MESSAGE_BYTES) throw new MessageTooLarge(bytes, SQS_MAX_MESSAGE_BYTES);
  if (message.queueUrl.endsWith('.fifo') && !message.groupId) throw new MessageGroupRequired(message.queueUrl);
  const answer = await awsJsonRequest({
    ...options,
    ...SQS,
    target: 'AmazonSQS.SendMessage',
    body: {
      QueueUrl: message.queueUrl,
      MessageBody: message.body,
      ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
      ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
      ...(message.delaySeconds !== undefined ? { DelaySeconds: message.delaySeconds } : {}),
    },
  });
  const messageId = field(answer, 'MessageId');
  const md5 = field(answer, 'MD5OfMessageBody');
  if (!messageId || !md5) throw new AwsRequestFailed('sqs', 'SendMessage', 200, 'MalformedResponse', 'the answer has no MessageId or MD5OfMessageBody');
  // The SDK checks this digest too (@aws-sdk/middleware-sdk-sqs): SQS computes it over the body it stored.
  if (md5 !== createHash('md5').update(message.body, 'utf8').digest('hex')) throw new MessageChecksumMismatch(messageId);
  const sequenceNumber = field(answer, 'SequenceNumber');
  return sequenceNumber ? { messageId, sequenceNumber } : { messageId };
}

export interface VisibilityChange {
  queueUrl: string;
  receiptHandle: string;
  /** 0 (visible now) to 43,200 (12 hours), counted from now. */
  visibilityTimeoutSeconds: number;
}

/** AmazonSQS.ChangeMessageVisibility: a consumer backs a failed message off (by Retry-After) instead of the queue's default. */
export async function changeMessageVisibility(options: AwsCallOptions, change: VisibilityChange): Promise<void> {
  await awsJsonRequest({
    ...options,
    ...SQS,
    target: 'AmazonSQS.ChangeMessageVisibility',
    body: { QueueUrl: change.queueUrl, ReceiptHandle: change.receiptHandle, VisibilityTimeout: change.visibilityTimeoutSeconds },
  });
}

export interface SqsSender {
  queueUrl: string;
  send(message: Omit<SqsMessage, 'queueUrl'> | string): Promise<SentMessage>;
}

export interface SqsSenderOptions extends Pick<AwsCallOptions, 'timeoutMs' | 'retryDelayMs'> {
  queueUrl: string;
  env: AwsEnv;
}

/**
 * One queue, its options read from the environment on the first send (a function that sends nothing
 * needs no credentials) and kept for the container's life, as Lambda keeps its credential variables.
 */
export function sqsSender({ queueUrl, env, ...overrides }: SqsSenderOptions): SqsSender {
  let options: AwsCallOptions | undefined;
  return {
    queueUrl,
    async send(message) {
      options ??= awsOptionsFromEnv(env, 'sqs', overrides);
      return await sendSqsMessage(options, { ...(typeof message === 'string' ? { body: message } : message), queueUrl });
    },
  };
}

function field(answer: unknown, key: string): string | undefined {
  const value = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
