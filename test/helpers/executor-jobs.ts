import type { SlackPort, UpdateMessage } from '../../lib/adapters/slack';
import type { JobRecord } from '../../lib/adapters/store';
import { EXECUTOR_JOB, executeExecutorJob, reportExecutorJob, type ExecutorJobDeps } from '../../lib/flows/executors';
import { jobFailureMessage } from '../../lib/flows/jobs';

/** A running executor job of `executor` (bound by its own name), asked for in C0OPS as the dispatcher queues it. */
export const executorJob = (executor: string, args: string[], requester: Partial<JobRecord['requester']> = {}): JobRecord => ({
  id: `slack-${Math.random().toString(16).slice(2)}`,
  kind: EXECUTOR_JOB,
  status: 'running',
  requester: { user: 'U0ADMIN', channel: 'C0OPS', messageTs: '1700000000.000100', ...requester },
  inputs: { executor, bindings: [executor], args },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  attempts: 1,
});

/** A Slack port that keeps each message update: where an executor job's answer (or failure) is shown. */
export function recordingSlack(): { slack: SlackPort; updates: UpdateMessage[] } {
  const updates: UpdateMessage[] = [];
  const slack = { updateMessage: (m: UpdateMessage) => (updates.push(m), Promise.resolve({ channel: m.channel, ts: m.ts })) } as unknown as SlackPort;
  return { slack, updates };
}

/**
 * Runs an executor job as the worker's runJob does: executed, then reported with its ending, a failure
 * worded as runJob words it (jobFailureMessage). Returns the error the execution threw, if any.
 */
export async function executeThenReport(deps: ExecutorJobDeps, queued: JobRecord): Promise<Error | undefined> {
  let error: Error | undefined;
  try {
    await executeExecutorJob(deps, queued);
  } catch (err) {
    error = err as Error;
  }
  await reportExecutorJob(deps, error ? { ...queued, status: 'failed', error: jobFailureMessage(error) } : { ...queued, status: 'succeeded' });
  return error;
}
