import { randomUUID } from 'node:crypto';
import { logger } from '../../core/log';
import type { Consume, MessageQueue, OutgoingMessage, ReceivedMessage } from './message-queue';
import { LOCAL_RETRY_POLICY, retryDelaySeconds, type RetryPolicy } from './retry-delay';

export interface InProcessQueueOptions {
  /** Names the queue in logs. */
  name: string;
  /** The consumer; a loader is called on the first message, so a queue nobody uses loads nothing. */
  consume: () => Promise<Consume>;
  /** @default LOCAL_RETRY_POLICY */
  policy?: RetryPolicy;
  /** Messages consumed at once, as Lambda's `maximumConcurrency` caps an SQS event source. @default 10 */
  concurrency?: number;
  /** Multiplies every wait; tests use a small factor so a 10 s backoff takes milliseconds. @default 1 */
  timeScale?: number;
}

export interface InProcessQueue extends MessageQueue {
  /** Messages that failed `policy.maxReceives` times, as a dead-letter queue would hold them. */
  readonly deadLetters: ReceivedMessage[];
  /** Whether a message is waiting, being consumed or waiting out a backoff. */
  busy(): boolean;
}

/** SQS FIFO forgets a deduplication id after five minutes. */
const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

interface Group {
  messages: ReceivedMessage[];
  /** Being consumed, or waiting out a failure's backoff: its next message must wait (FIFO order). */
  busy: boolean;
}

/**
 * The local stand-in for an SQS queue and its Lambda consumer (`npm start`, tests): the same semantics, so
 * what passes here holds there. Messages of one group are consumed one at a time and in order; a failed
 * message is delivered again after the backoff the failure asks for, blocking its group meanwhile, and after
 * `maxReceives` deliveries it is dead-lettered (logged as an error, kept in `deadLetters`). A repeated
 * deduplication id within five minutes is dropped. Work runs after the request that queued it is answered.
 */
export function inProcessQueue(options: InProcessQueueOptions): InProcessQueue {
  const policy = options.policy ?? LOCAL_RETRY_POLICY;
  const concurrency = options.concurrency ?? 10;
  const timeScale = options.timeScale ?? 1;
  const groups = new Map<string, Group>();
  const seen = new Map<string, number>();
  const deadLetters: ReceivedMessage[] = [];
  const waiters: (() => void)[] = [];
  let consumer: Promise<Consume> | undefined;
  let running = 0;

  const settled = () => running === 0 && groups.size === 0;
  function wakeWaiters() {
    if (settled()) for (const resolve of waiters.splice(0)) resolve();
  }

  function pump() {
    for (const [key, group] of groups) {
      if (running >= concurrency) break;
      if (group.busy) continue;
      const message = group.messages[0];
      if (!message) {
        groups.delete(key);
        continue;
      }
      group.busy = true;
      running++;
      // After the current turn of the event loop: the request that queued it answers first.
      setImmediate(() => void deliver(key, group, message));
    }
    wakeWaiters();
  }

  async function deliver(key: string, group: Group, message: ReceivedMessage) {
    try {
      consumer ??= options.consume();
      await (await consumer)(message);
      group.messages.shift();
      group.busy = false;
    } catch (err) {
      if (message.receiveCount >= policy.maxReceives) {
        logger.error('message dead-lettered after its last delivery failed', { queue: options.name, messageId: message.messageId, receiveCount: message.receiveCount, error: err as Error });
        deadLetters.push(message);
        group.messages.shift();
        group.busy = false;
      } else {
        const seconds = retryDelaySeconds(err, message.receiveCount, policy);
        logger.warn('message failed; it will be delivered again', { queue: options.name, messageId: message.messageId, receiveCount: message.receiveCount, retryInSeconds: seconds, error: err as Error });
        group.messages[0] = { ...message, receiveCount: message.receiveCount + 1 };
        setTimeout(() => {
          group.busy = false;
          pump();
        }, seconds * 1000 * timeScale);
      }
    } finally {
      running--;
      if (!group.busy && group.messages.length === 0) groups.delete(key);
      pump();
    }
  }

  return {
    deadLetters,
    busy: () => !settled(),
    send(outgoing: OutgoingMessage) {
      const now = Date.now();
      if (outgoing.deduplicationId) {
        const until = seen.get(outgoing.deduplicationId);
        if (until !== undefined && until > now) return Promise.resolve();
        seen.set(outgoing.deduplicationId, now + DEDUPLICATION_WINDOW_MS);
      }
      const messageId = randomUUID();
      const key = outgoing.groupId ? `group:${outgoing.groupId}` : `message:${messageId}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { messages: [], busy: false }));
      group.messages.push({ messageId, body: outgoing.body, receiveCount: 1 });
      pump();
      return Promise.resolve();
    },
    idle() {
      if (settled()) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
