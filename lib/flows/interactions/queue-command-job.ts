import { logger } from '../../core/log';
import { enqueueJob, jobIdFor, type JobQueue } from '../jobs';
import type { SlackPort } from '../../adapters/slack';
import { postOnce } from '../effects/post-once';
import type { JobRecord, Store } from '../../adapters/store';

export interface QueueCommandJobDeps {
  store: Store;
  queue: JobQueue;
  slack: SlackPort;
  now?: () => Date;
}

export interface CommandJobAsk {
  /** Identifies this one request (trigger_id, or the click), so a repeat maps to the same job. */
  requestKey: string;
  kind: string;
  inputs: Record<string, unknown>;
  user: string;
  userName?: string;
  channel: string;
  threadTs?: string;
  /** Shown at once; the worker replaces this message with the outcome. */
  runningText: string;
  subject?: JobRecord['subject'];
}

/**
 * Queues a job for the worker behind a visible "running…" message. A repeated request finds its job
 * and posts nothing. The message is posted before the job is queued, so the worker always knows which
 * message to replace; when Slack refuses the post (bot not in the channel), the job still runs and
 * the worker posts its outcome as a new message.
 */
export async function queueCommandJob(deps: QueueCommandJobDeps, ask: CommandJobAsk): Promise<{ job: JobRecord; created: boolean }> {
  const id = jobIdFor({ source: 'slack', key: ask.requestKey });
  const existing = await deps.store.getJob(id);
  if (existing) return { job: existing, created: false };
  // Once per job (DESIGN §3): a redelivered request whose first attempt posted and then died before the
  // job was written finds that message again, instead of leaving it behind as an orphan "running…".
  const running = await postOnce({ store: deps.store, slack: deps.slack }, `running:${id}`, { channel: ask.channel, ...(ask.threadTs ? { threadTs: ask.threadTs } : {}), text: ask.runningText })
    .catch((err: unknown) => {
      logger.warn('could not post the running message; the outcome will be posted instead', { kind: ask.kind, error: err as Error });
      return undefined;
    });
  const now = (deps.now?.() ?? new Date()).toISOString();
  return enqueueJob(
    { store: deps.store, queue: deps.queue },
    {
      id,
      kind: ask.kind,
      status: 'queued',
      requester: {
        user: ask.user,
        ...(ask.userName ? { name: ask.userName } : {}),
        channel: ask.channel,
        ...(ask.threadTs ? { threadTs: ask.threadTs } : {}),
        ...(running ? { messageTs: running.ts } : {}),
      },
      inputs: ask.inputs,
      ...(ask.subject ? { subject: ask.subject } : {}),
      createdAt: now,
      updatedAt: now,
      attempts: 0,
    },
  );
}
