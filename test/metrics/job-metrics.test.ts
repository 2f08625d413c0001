import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runJob } from '../../lib/flows/jobs';
import { flushMetrics, metricsEnabled, recordJobCompleted, type JobOutcome } from '../../lib/core/metrics';
import type { JobRecord, Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

const IN_LAMBDA = { AWS_LAMBDA_FUNCTION_NAME: 'fluxline-prod-worker' };

let sequence = 0;
const newJob = (kind: string): JobRecord => ({
  id: `metrics-job-${++sequence}-${Date.now()}`,
  kind,
  status: 'queued',
  requester: { user: 'U1', channel: 'C1' },
  inputs: {},
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  attempts: 0,
});

/** What Powertools writes to stdout (EMF lines) while `act` runs. */
function stdoutLines(act: () => void): string[] {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  try {
    act();
  } finally {
    spy.mockRestore();
  }
  return written.join('').split('\n').filter(Boolean);
}

describe('JobsCompleted metric', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each([
    [{ ...IN_LAMBDA }, true],
    [{}, false],
    [{ ...IN_LAMBDA, IS_OFFLINE: 'true' }, false],
    [{ ...IN_LAMBDA, VITEST: 'true' }, false],
    [{ ...IN_LAMBDA, POWERTOOLS_METRICS_DISABLED: 'true' }, false],
    [{ POWERTOOLS_METRICS_DISABLED: 'false' }, true],
  ])('is emitted only in Lambda, not in tests or under npm start (%o -> %s)', (env, enabled) => {
    expect(metricsEnabled(env)).toBe(enabled);
  });

  it('writes one EMF line counting the job under its kind and outcome', () => {
    // Prepare
    const target = new Metrics({ namespace: 'Fluxline', serviceName: 'fluxline' });

    // Act
    const lines = stdoutLines(() => recordJobCompleted('diff', 'failed', { env: IN_LAMBDA, target }));

    // Assess: its JobsCompleted line (a failed job also counts in Failures: failure-metric.test.ts).
    const jobLines = lines.filter((line) => line.includes('JobsCompleted'));
    expect(jobLines).toHaveLength(1);
    const emf = JSON.parse(jobLines[0] ?? '{}') as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } } & Record<string, unknown>;
    expect(emf._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Fluxline', Dimensions: [['service', 'kind', 'outcome']], Metrics: [{ Name: 'JobsCompleted', Unit: 'Count' }] }]);
    expect(emf).toMatchObject({ service: 'fluxline', kind: 'diff', outcome: 'failed', JobsCompleted: 1 });
  });

  it('writes nothing outside Lambda, and a flush with nothing buffered writes nothing either', () => {
    const target = new Metrics({ namespace: 'Fluxline', serviceName: 'fluxline' });
    expect(stdoutLines(() => recordJobCompleted('diff', 'succeeded', { env: {}, target }))).toEqual([]);
    expect(stdoutLines(() => flushMetrics(target))).toEqual([]);
  });

  describe('from runJob', () => {
    let store: Store;
    beforeAll(async () => {
      store = await freshStore();
    });
    const recorder = () => {
      const recorded: [string, JobOutcome][] = [];
      return { recorded, recordCompleted: (kind: string, outcome: JobOutcome) => void recorded.push([kind, outcome]) };
    };

    it('counts a job once when it finishes, by kind and outcome, and not again on redelivery', async () => {
      // Prepare
      const ok = newJob('diff');
      const bad = newJob('approve');
      await store.createJob(ok);
      await store.createJob(bad);
      const { recorded, recordCompleted } = recorder();

      // Act
      await runJob({ store, recordCompleted }, ok.id, () => Promise.resolve({ outcome: {} }), () => Promise.resolve());
      await runJob({ store, recordCompleted }, bad.id, () => Promise.reject(new Error('422')), () => Promise.resolve());
      await runJob({ store, recordCompleted }, ok.id, () => Promise.resolve({ outcome: {} }), () => Promise.resolve());

      // Assess
      expect(recorded).toEqual([
        ['diff', 'succeeded'],
        ['approve', 'failed'],
      ]);
    });

    it('counts a job whose worker died as stale', async () => {
      const job = newJob('diff');
      await store.createJob(job);
      await store.transitionJob(job.id, 'queued', 'running', {}, new Date(Date.now() - 30 * 60 * 1000));
      const { recorded, recordCompleted } = recorder();

      await runJob({ store, recordCompleted }, job.id, () => Promise.reject(new Error('must not run')), () => Promise.resolve());

      expect(recorded).toEqual([['diff', 'stale']]);
    });
  });
});
