import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Env } from '../../lib/config';

let client: SQSClient | undefined;

/** How a queue consumer backs off a failed message: SQS ChangeMessageVisibility on its receipt handle. */
export function delayRedelivery(_env: Env) {
  return async ({ queueUrl, receiptHandle }: { queueUrl: string; receiptHandle: string }, seconds: number): Promise<void> => {
    client ??= new SQSClient({});
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
  };
}
