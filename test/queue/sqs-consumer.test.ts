import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { consumeSqsBatch, queueUrlOfArn, type ReceivedMessage } from '../../lib/adapters/queue';

const ARN = 'arn:aws:sqs:eu-west-1:123456789012:fluxline-prod-github-deliveries.fifo';

/** An SQS batch as Lambda's event source mapping delivers it (FIFO attributes when a group is given). */
function batch(records: { id: string; body?: string; group?: string; receiveCount?: number }[]): SQSEvent {
  return {
    Records: records.map(({ id, body, group, receiveCount }) => ({
      messageId: id,
      receiptHandle: `handle-${id}`,
      body: body ?? id,
      attributes: {
        ApproximateReceiveCount: String(receiveCount ?? 1),
        SentTimestamp: '1',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '1',
        ...(group ? { MessageGroupId: group, MessageDeduplicationId: id, SequenceNumber: '1' } : {}),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: ARN,
      awsRegion: 'eu-west-1',
    })),
  };
}

describe('consumeSqsBatch', () => {
  it('returns the failed records alone, and delays each by the backoff its failure asks for', async () => {
    const delays: { receiptHandle: string; queueUrl: string; seconds: number }[] = [];
    const rateLimited = Object.assign(new Error('Slack 429'), { retryAfterSeconds: 45 });

    const response = await consumeSqsBatch(
      batch([{ id: 'ok' }, { id: 'limited' }, { id: 'down', receiveCount: 2 }]),
      {} as Context,
      (m: ReceivedMessage) => (m.body === 'ok' ? Promise.resolve() : Promise.reject(m.body === 'limited' ? rateLimited : new Error('503'))),
      { delayRedelivery: (record, seconds) => Promise.resolve(void delays.push({ ...record, seconds })) },
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'limited' }, { itemIdentifier: 'down' }]);
    expect(delays).toEqual([
      { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fluxline-prod-github-deliveries.fifo', receiptHandle: 'handle-limited', seconds: 45 },
      { queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fluxline-prod-github-deliveries.fifo', receiptHandle: 'handle-down', seconds: expect.any(Number) },
    ]);
    expect(delays[1]?.seconds).toBeGreaterThanOrEqual(20);
  });

  it('on a FIFO queue, fails the rest of a failed message\'s group without running it, and runs the other groups', async () => {
    const ran: string[] = [];

    const response = await consumeSqsBatch(
      batch([
        { id: 'a1', group: 'pr-1' },
        { id: 'b1', group: 'pr-2' },
        { id: 'a2', group: 'pr-1' },
        { id: 'b2', group: 'pr-2' },
      ]),
      {} as Context,
      (m) => {
        ran.push(m.body);
        return m.body === 'a1' ? Promise.reject(new Error('GitHub 502')) : Promise.resolve();
      },
      { fifo: true },
    );

    expect(ran).toEqual(['a1', 'b1', 'b2']);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['a1', 'a2']);
  });

  it('leaves the last delivery to the dead-letter queue: no delay asked for it', async () => {
    const delays: number[] = [];

    const response = await consumeSqsBatch(batch([{ id: 'last', receiveCount: 8 }]), {} as Context, () => Promise.reject(new Error('still down')), {
      delayRedelivery: (_, seconds) => Promise.resolve(void delays.push(seconds)),
    });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'last' }]);
    expect(delays).toEqual([]);
  });

  it('still fails the record when the delay cannot be set (the queue visibility timeout applies)', async () => {
    const response = await consumeSqsBatch(batch([{ id: 'x' }]), {} as Context, () => Promise.reject(new Error('503')), {
      delayRedelivery: () => Promise.reject(new Error('AccessDenied')),
    });

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'x' }]);
  });

  it('derives the queue URL ChangeMessageVisibility takes from the record ARN', () => {
    expect(queueUrlOfArn('arn:aws:sqs:us-east-2:111122223333:jobs')).toBe('https://sqs.us-east-2.amazonaws.com/111122223333/jobs');
  });
});
