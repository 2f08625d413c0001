import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { consumeSqsBatch } from '../../lib/adapters/queue';
import { recordJobCompleted } from '../../lib/core/metrics';
import { errorResponse, HttpError } from '../../lib/core/http';
import { ConfigError } from '../../lib/core/config';

/**
 * The handlers catch their errors (a 500, a failed message, a failed job), so Lambda's own Errors metric
 * never counts them: `Failures` (namespace Fluxline, EMF) does, and infra/aws/alarms.yml alarms on it.
 */
interface EmfLine {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

async function emfLines(act: () => unknown): Promise<EmfLine[]> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return written
    .join('')
    .split('\n')
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as EmfLine);
}

const failures = (lines: EmfLine[]) => lines.filter((line) => line._aws.CloudWatchMetrics.some((m) => m.Metrics.some((metric) => metric.Name === 'Failures')));

const context = { functionName: 'fluxline-prod-slackRequests', awsRequestId: 'req', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const sqsEvent = (body: string): SQSEvent => ({
  Records: [
    {
      messageId: 'm-1',
      receiptHandle: 'rh-1',
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:fluxline-prod-slack-requests',
      awsRegion: 'eu-west-1',
    },
  ],
});

describe('Failures metric', () => {
  beforeEach(() => {
    // As in Lambda: the metric is written only there (lib/core/metrics metricsEnabled).
    vi.stubEnv('VITEST', '');
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'fluxline-prod-slack');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('counts a 500 answered by a handler, by function and source, and in one series the alarm watches', async () => {
    // Act
    const lines = failures(await emfLines(() => errorResponse(new Error('GetParameters refused'))));

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]?._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Fluxline', Dimensions: [['service'], ['service', 'function', 'source']], Metrics: [{ Name: 'Failures', Unit: 'Count' }] }]);
    expect(lines[0]).toMatchObject({ service: 'fluxline', function: 'fluxline-prod-slack', source: 'http', Failures: 1 });
  });

  it.each([
    ['a ConfigError (500)', new ConfigError('SSM parameter not found')],
    ['a 503', new HttpError(503, 'Slack did not answer in time')],
  ])('counts %s', async (_name, error) => {
    expect(failures(await emfLines(() => errorResponse(error)))).toHaveLength(1);
  });

  it('does not count a 4xx: a bad request is the caller’s, not ours', async () => {
    expect(failures(await emfLines(() => errorResponse(new HttpError(401, 'bad signature'))))).toHaveLength(0);
  });

  it('counts a queue message whose processing failed', async () => {
    // Act
    const lines = failures(
      await emfLines(() =>
        consumeSqsBatch(sqsEvent('{}'), context, () => {
          throw new Error('Slack is down');
        }),
      ),
    );

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ source: 'message', Failures: 1 });
  });

  it.each(['failed', 'stale'] as const)('counts a job that ended %s, and not one that succeeded', async (outcome) => {
    const failed = failures(await emfLines(() => recordJobCompleted('diff', outcome)));
    const succeeded = failures(await emfLines(() => recordJobCompleted('diff', 'succeeded')));
    expect(failed.map((line) => line.source)).toEqual(['job']);
    expect(succeeded).toHaveLength(0);
  });

  it('writes nothing outside Lambda (tests, npm start)', async () => {
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', '');
    expect(await emfLines(() => errorResponse(new Error('x')))).toHaveLength(0);
  });
});
