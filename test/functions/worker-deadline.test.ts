import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FLUX_REPORT_MARGIN_MS, redeliverBeforeTimeout, TIMEOUT_MARGIN_MS } from '../../functions/compose/job-deadline';
import { workerDepsOf } from '../../functions/compose/runtime';
import type { Runtime } from '../../functions/compose/create-runtime';
import { JOBS_RETRY_POLICY } from '../../lib/flows/jobs';
import { settingsFrom } from '../../lib/core/config';

const record = (receiveCount: number): SQSRecord => ({
  messageId: `m-${receiveCount}`,
  receiptHandle: `rh-${receiveCount}`,
  body: JSON.stringify({ jobId: 'job-1' }),
  attributes: { ApproximateReceiveCount: String(receiveCount), SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:fluxline-prod-jobs',
  awsRegion: 'eu-west-1',
});

/** A Lambda context whose remaining time follows the (fake) clock, as Lambda's does. */
function contextWithDeadline(budgetMs: number): Context {
  const deadline = Date.now() + budgetMs;
  return { functionName: 'fluxline-prod-worker', awsRequestId: 'req', getRemainingTimeInMillis: () => deadline - Date.now() } as unknown as Context;
}

describe('a job that runs out of Lambda time', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is made visible again seconds after the timeout kills it, not after the 36-minute visibility timeout', async () => {
    // Prepare
    const delay = vi.fn((_record: { queueUrl: string; receiptHandle: string }, _seconds: number) => Promise.resolve());
    const event: SQSEvent = { Records: [record(2)] };
    redeliverBeforeTimeout(event, contextWithDeadline(360_000), delay);

    // Act
    await vi.advanceTimersByTimeAsync(360_000 - TIMEOUT_MARGIN_MS - 1);
    const beforeTheMargin = delay.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess: hidden for the margin (the function still runs) plus the backoff of its second failure.
    expect(beforeTheMargin).toBe(0);
    expect(delay).toHaveBeenCalledTimes(1);
    const [target, seconds] = delay.mock.calls[0] ?? [];
    expect(target).toEqual({ queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fluxline-prod-jobs', receiptHandle: 'rh-2' });
    expect(seconds).toBeGreaterThanOrEqual(TIMEOUT_MARGIN_MS / 1000 + JOBS_RETRY_POLICY.baseDelaySeconds * 2);
    expect(seconds).toBeLessThanOrEqual(60);
  });

  it('changes nothing when the job finishes in time', async () => {
    // Prepare
    const delay = vi.fn(() => Promise.resolve());
    const done = redeliverBeforeTimeout({ Records: [record(1)] }, contextWithDeadline(360_000), delay);

    // Act
    done();
    await vi.advanceTimersByTimeAsync(400_000);

    // Assess
    expect(delay).not.toHaveBeenCalled();
  });

  it('does nothing without a Lambda context (tests, npm start)', async () => {
    const delay = vi.fn(() => Promise.resolve());
    redeliverBeforeTimeout({ Records: [record(1)] }, {} as Context, delay)();
    await vi.advanceTimersByTimeAsync(400_000);
    expect(delay).not.toHaveBeenCalled();
  });
});

describe("flux's timeout in the worker", () => {
  const runtime = { settings: settingsFrom({ FLUX_TIMEOUT_SECONDS: '300' }) } as unknown as Runtime;

  it.each([
    ['plenty of time left', 900_000, 300_000],
    ['two minutes left', 120_000, 120_000 - FLUX_REPORT_MARGIN_MS],
    ['almost none left', 5_000, 1_000],
  ])('is FLUX_TIMEOUT_SECONDS capped by the time the Lambda has left, minus a margin to report (%s)', (_case, remainingMs, expected) => {
    expect(workerDepsOf(runtime, { remainingMs: () => remainingMs }).fluxTimeoutMs).toBe(expected);
  });

  it('is read when flux starts, not when the job starts', () => {
    // Prepare
    let remaining = 400_000;
    const deps = workerDepsOf(runtime, { remainingMs: () => remaining });

    // Act
    remaining = 100_000;

    // Assess
    expect(deps.fluxTimeoutMs).toBe(100_000 - FLUX_REPORT_MARGIN_MS);
  });

  it('is FLUX_TIMEOUT_SECONDS as it is outside Lambda', () => {
    expect(workerDepsOf(runtime).fluxTimeoutMs).toBe(300_000);
  });
});
