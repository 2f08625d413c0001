import { sqsSender } from '../aws/sqs';
import type { AwsEnv } from '../aws/credentials';
import type { MessageQueue } from './message-queue';

/**
 * An SQS queue as a MessageQueue, sent with the lean SigV4 client (lib/adapters/aws): the ingress bundles carry no
 * AWS SDK. Credentials and region come from the environment on the first send.
 */
export function sqsQueue(queueUrl: string, env: AwsEnv): MessageQueue {
  const sender = sqsSender({ queueUrl, env });
  return {
    async send(message) {
      await sender.send(message);
    },
    idle: () => Promise.resolve(),
  };
}
