import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Env } from '../config';
import { logger } from '../log';

/** Where queued jobs go. The message carries only the job id; the job itself is in DynamoDB. */
export interface JobQueue {
  send(jobId: string): Promise<void>;
  /** Resolves once every job sent so far has finished (in-process queue only; SQS returns at once). */
  idle(): Promise<void>;
}

export function jobMessageBody(jobId: string): string {
  return JSON.stringify({ jobId });
}

/** The client is made on the first send: most webhook deliveries queue nothing, so their cold start skips it. */
export function sqsQueue(queueUrl: string, client?: SQSClient): JobQueue {
  return {
    async send(jobId) {
      client ??= new SQSClient({});
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: jobMessageBody(jobId) }));
    },
    idle: () => Promise.resolve(),
  };
}

/**
 * Runs jobs in this process after the current request has been answered: what `npm start` and the
 * tests use instead of SQS. A failing job is logged, never thrown into the request that queued it.
 */
export function inProcessQueue(run: (jobId: string) => Promise<void>): JobQueue {
  const pending = new Set<Promise<void>>();
  return {
    send(jobId) {
      const job = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => run(jobId))
        .catch((err: unknown) => logger.error('in-process job failed', { jobId, error: err as Error }))
        .finally(() => pending.delete(job));
      pending.add(job);
      return Promise.resolve();
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** SQS when `JOBS_QUEUE_URL` is set (AWS), else the in-process queue (local run, tests). */
export function queueFromEnv(env: Env, runInProcess: (jobId: string) => Promise<void>): JobQueue {
  const url = env.JOBS_QUEUE_URL;
  return url ? sqsQueue(url) : inProcessQueue(runInProcess);
}
