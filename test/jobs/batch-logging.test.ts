import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processJobBatch } from '../../lib/flows/jobs';
import { logger } from '../../lib/core/log';

const context = { functionName: 'fluxline-test-worker', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 60_000 } as unknown as Context;
const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({ messageId: `m-${i + 1}`, body, receiptHandle: 'r', attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:jobs', awsRegion: 'eu-west-1' })) as SQSEvent['Records'],
});

describe('worker log lines', () => {
  let lines: Record<string, unknown>[];
  beforeEach(() => {
    lines = [];
    logger.setLogLevel('INFO');
    // Powertools writes INFO to stdout and ERROR to stderr.
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        return true;
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    logger.setLogLevel('SILENT');
  });

  it('name the SQS message and its job on every line logged while the job runs, and nothing after', async () => {
    // Act
    await processJobBatch(sqsEvent(JSON.stringify({ jobId: 'job-a' }), 'not json'), context, (jobId) => Promise.resolve(logger.info('working', { on: jobId })));
    logger.info('after the batch');

    // Assess
    expect(lines.find((l) => l.message === 'working')).toMatchObject({ jobId: 'job-a', messageId: 'm-1' });
    const dropped = lines.find((l) => l.message === 'dropping malformed jobs message');
    expect(dropped).toMatchObject({ messageId: 'm-2' });
    expect(dropped).not.toHaveProperty('jobId');
    expect(lines.find((l) => l.message === 'after the batch')).not.toHaveProperty('messageId');
    expect(lines.find((l) => l.message === 'after the batch')).not.toHaveProperty('jobId');
  });
});
