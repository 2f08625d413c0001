import { createHash, randomUUID } from 'node:crypto';
import { AwsFault, startAwsJsonFake, type AwsFakeFault, type LoggedAwsRequest } from './aws-json';
import { FAKE_AWS_KEY, type FakeAwsKey } from './aws-signature';

export { FAKE_AWS_KEY, fakeAwsEnv, type FakeAwsKey } from './aws-signature';

export interface FakeSqsMessage {
  queueUrl: string;
  body: string;
  messageId: string;
  receiptHandle: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  delaySeconds?: number;
  /** Set by ChangeMessageVisibility. */
  visibilityTimeoutSeconds?: number;
}

export interface FakeSqs {
  url: string;
  queueUrl: string;
  /** `${url}/123456789012/fluxline-ingress.fifo`: a FIFO queue without content-based deduplication. */
  fifoQueueUrl: string;
  /** Every message enqueued (a FIFO repeat within 5 minutes is not), in order. */
  sent: { queueUrl: string; body: string }[];
  /** The same messages with everything SQS keeps about them. */
  messages: FakeSqsMessage[];
  requests: LoggedAwsRequest[];
  /** The next requests that pass the signature check answer with these faults (AWS JSON error bodies). */
  failNext(faults: AwsFakeFault[]): void;
  stop(): Promise<void>;
}

export interface FakeSqsOptions {
  /** Key pairs the fake accepts. @default [FAKE_AWS_KEY] */
  keys?: readonly FakeAwsKey[];
  /** The fake's clock (signature age, the 5-minute FIFO deduplication window). @default Date.now */
  now?: () => number;
}

/** SQS keeps a FIFO MessageDeduplicationId for 5 minutes (API_SendMessage.html). */
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;
const MAX_BODY_BYTES = 262_144;
const MAX_VISIBILITY_SECONDS = 43_200;

function str(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * SQS's AWS JSON 1.0 protocol (what @aws-sdk/client-sqs speaks since 3.4xx, and lib/adapters/aws): POST / with
 * `X-Amz-Target: AmazonSQS.SendMessage | ChangeMessageVisibility`, SigV4 verified for real. FIFO queues
 * (`.fifo`) need MessageGroupId and MessageDeduplicationId, and accept a repeated deduplication id
 * within 5 minutes without enqueuing it again, answering with the first message's id, as SQS does.
 */
export async function startFakeSqs(options: FakeSqsOptions = {}): Promise<FakeSqs> {
  const now = options.now ?? Date.now;
  const sent: FakeSqs['sent'] = [];
  const messages: FakeSqsMessage[] = [];
  const deduplication = new Map<string, { message: FakeSqsMessage; at: number }>();
  let sequence = 0;

  const sendMessage = (input: Record<string, unknown>) => {
    const queueUrl = str(input, 'QueueUrl');
    const body = str(input, 'MessageBody');
    if (!queueUrl) throw new AwsFault(400, 'MissingParameter', 'The request must contain the parameter QueueUrl.');
    if (!body) throw new AwsFault(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new AwsFault(400, 'InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_BODY_BYTES} bytes.`);
    const groupId = str(input, 'MessageGroupId');
    const deduplicationId = str(input, 'MessageDeduplicationId');
    const delay = input.DelaySeconds;
    const md5 = createHash('md5').update(body).digest('hex');
    const fifo = queueUrl.endsWith('.fifo');
    if (fifo) {
      if (!groupId) throw new AwsFault(400, 'MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (!deduplicationId) throw new AwsFault(400, 'InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      if (delay !== undefined) throw new AwsFault(400, 'InvalidParameterValue', 'Value for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.');
      const key = `${queueUrl}\n${deduplicationId}`;
      const earlier = deduplication.get(key);
      if (earlier && now() - earlier.at < DEDUPLICATION_WINDOW_MS) {
        return { MessageId: earlier.message.messageId, MD5OfMessageBody: md5, SequenceNumber: earlier.message.sequenceNumber };
      }
    } else if (delay !== undefined && (typeof delay !== 'number' || delay < 0 || delay > 900)) {
      throw new AwsFault(400, 'InvalidParameterValue', 'Value for parameter DelaySeconds is invalid. Reason: Must be >= 0 and <= 900.');
    }
    const message: FakeSqsMessage = { queueUrl, body, messageId: randomUUID(), receiptHandle: `rh-${randomUUID()}` };
    if (groupId) message.groupId = groupId;
    if (typeof delay === 'number') message.delaySeconds = delay;
    if (fifo && deduplicationId) {
      message.deduplicationId = deduplicationId;
      message.sequenceNumber = String(++sequence).padStart(20, '0');
      deduplication.set(`${queueUrl}\n${deduplicationId}`, { message, at: now() });
    }
    messages.push(message);
    sent.push({ queueUrl, body });
    // lib/adapters/aws and the SDK both check this digest, as they do against real SQS.
    return { MessageId: message.messageId, MD5OfMessageBody: md5, ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}) };
  };

  const changeMessageVisibility = (input: Record<string, unknown>) => {
    const handle = str(input, 'ReceiptHandle');
    const timeout = input.VisibilityTimeout;
    const message = messages.find((m) => m.receiptHandle === handle && m.queueUrl === str(input, 'QueueUrl'));
    if (!message) throw new AwsFault(400, 'ReceiptHandleIsInvalid', `The input receipt handle "${handle ?? ''}" is not a valid receipt handle.`);
    if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_VISIBILITY_SECONDS) {
      throw new AwsFault(400, 'InvalidParameterValue', `Value ${String(timeout)} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${MAX_VISIBILITY_SECONDS}.`);
    }
    message.visibilityTimeoutSeconds = timeout;
    return {};
  };

  const fake = await startAwsJsonFake({
    service: 'sqs',
    targetPrefix: 'AmazonSQS',
    contentType: 'application/x-amz-json-1.0',
    errorTypePrefix: 'com.amazonaws.sqs#',
    signatureErrorCode: 'SignatureDoesNotMatch',
    keys: options.keys ?? [FAKE_AWS_KEY],
    now,
    operations: { SendMessage: sendMessage, ChangeMessageVisibility: changeMessageVisibility },
  });
  return {
    ...fake,
    queueUrl: `${fake.url}/123456789012/fluxline-jobs`,
    fifoQueueUrl: `${fake.url}/123456789012/fluxline-ingress.fifo`,
    sent,
    messages,
  };
}
