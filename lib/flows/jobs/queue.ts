import type { MessageQueue } from '../../adapters/queue/message-queue';

/** Where queued jobs go. The message carries only the job id; the job itself is in DynamoDB. */
export interface JobQueue {
  send(jobId: string): Promise<void>;
  /** Resolves once every job sent so far has finished (in-process queue only; SQS returns at once). */
  idle(): Promise<void>;
}

export function jobMessageBody(jobId: string): string {
  return JSON.stringify({ jobId });
}

/** The jobs queue over a message queue (SQS, or in-process locally). */
export function jobQueueOn(queue: MessageQueue): JobQueue {
  return {
    send: (jobId) => queue.send({ body: jobMessageBody(jobId) }),
    idle: () => queue.idle(),
  };
}
