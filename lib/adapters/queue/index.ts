export type { Consume, MessageQueue, OutgoingMessage, ReceivedMessage } from './message-queue';
export { inProcessQueue, type InProcessQueue, type InProcessQueueOptions } from './in-process';
export { retryDelaySeconds, LOCAL_RETRY_POLICY, SQS_RETRY_POLICY, type RetryPolicy } from './retry-delay';
export { consumeSqsBatch, queueUrlOfArn, type SqsConsumerOptions } from './sqs-consumer';
export { sqsQueue } from './sqs-queue';
