import { describe, expect, it } from 'vitest';
import { inProcessQueue, type ReceivedMessage } from '../../lib/adapters/queue';

/** A consumer that records each delivery and fails when `fail` says so. */
function recorder(fail: (message: ReceivedMessage) => Error | undefined = () => undefined) {
  const seen: { body: string; receiveCount: number }[] = [];
  const consume = (message: ReceivedMessage) => {
    seen.push({ body: message.body, receiveCount: message.receiveCount });
    const error = fail(message);
    return error ? Promise.reject(error) : Promise.resolve();
  };
  return { seen, consume: () => Promise.resolve(consume) };
}

const policy = { maxReceives: 3, baseDelaySeconds: 1, maxDelaySeconds: 60 };

describe('the in-process queue (npm start and tests: SQS semantics in one process)', () => {
  it('runs the consumer after the sender has returned', async () => {
    const { seen, consume } = recorder();
    const queue = inProcessQueue({ name: 'q', consume, timeScale: 0.001 });

    await queue.send({ body: 'a' });
    const beforeIdle = seen.length;
    await queue.idle();

    expect(beforeIdle).toBe(0);
    expect(seen).toEqual([{ body: 'a', receiveCount: 1 }]);
  });

  it('delivers a failed message again with its receive count, then dead-letters it after maxReceives', async () => {
    const { seen, consume } = recorder(() => new Error('Slack is down'));
    const queue = inProcessQueue({ name: 'q', consume, policy, timeScale: 0.001 });

    await queue.send({ body: 'doomed' });
    await queue.idle();

    expect(seen.map((s) => s.receiveCount)).toEqual([1, 2, 3]);
    expect(queue.deadLetters).toEqual([expect.objectContaining({ body: 'doomed', receiveCount: 3 })]);
    expect(queue.busy()).toBe(false);
  });

  it('succeeds on a later delivery and dead-letters nothing', async () => {
    const { seen, consume } = recorder((m) => (m.receiveCount < 2 ? new Error('503') : undefined));
    const queue = inProcessQueue({ name: 'q', consume, policy, timeScale: 0.001 });

    await queue.send({ body: 'x' });
    await queue.idle();

    expect(seen.map((s) => s.receiveCount)).toEqual([1, 2]);
    expect(queue.deadLetters).toEqual([]);
  });

  it('keeps one group in order, holding its later messages while a failed one waits out its backoff', async () => {
    const { seen, consume } = recorder((m) => (m.body === 'pr-1:opened' && m.receiveCount === 1 ? new Error('GitHub 502') : undefined));
    const queue = inProcessQueue({ name: 'q', consume, policy, timeScale: 0.001 });

    await queue.send({ body: 'pr-1:opened', groupId: 'pr-1' });
    await queue.send({ body: 'pr-1:synchronize', groupId: 'pr-1' });
    await queue.send({ body: 'pr-2:opened', groupId: 'pr-2' });
    await queue.idle();

    const order = seen.map((s) => s.body);
    expect(order.filter((b) => b.startsWith('pr-1'))).toEqual(['pr-1:opened', 'pr-1:opened', 'pr-1:synchronize']);
    // The other PR's group was not held back by the failure.
    expect(order.indexOf('pr-2:opened')).toBeLessThan(order.lastIndexOf('pr-1:opened'));
  });

  it('drops a repeated deduplication id, as SQS FIFO does within 5 minutes', async () => {
    const { seen, consume } = recorder();
    const queue = inProcessQueue({ name: 'q', consume });

    await queue.send({ body: 'first', deduplicationId: 'delivery-1' });
    await queue.send({ body: 'again', deduplicationId: 'delivery-1' });
    await queue.idle();

    expect(seen.map((s) => s.body)).toEqual(['first']);
  });

  it('consumes at most `concurrency` messages at once', async () => {
    let running = 0;
    let most = 0;
    const consume = () =>
      Promise.resolve(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      });
    const queue = inProcessQueue({ name: 'q', consume, concurrency: 3 });

    for (let i = 0; i < 20; i++) await queue.send({ body: String(i) });
    await queue.idle();

    expect(most).toBe(3);
  });
});
