import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MessageQueue } from './message-queue';

/** An SQS queue as a MessageQueue; the client is made on the first send. */
export function sqsQueue(queueUrl: string, client?: SQSClient): MessageQueue {
  return {
    async send({ body, groupId, deduplicationId }) {
      client ??= new SQSClient({});
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, ...(groupId ? { MessageGroupId: groupId } : {}), ...(deduplicationId ? { MessageDeduplicationId: deduplicationId } : {}) }));
    },
    idle: () => Promise.resolve(),
  };
}
