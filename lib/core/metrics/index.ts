import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Env } from '../config';
import { METRICS_NAMESPACE, metricsEnabled, recordFailure } from './failures';

export { METRICS_NAMESPACE, metricsEnabled, recordFailure, type FailureSource } from './failures';

/** How a job ended: `stale` = its worker died (timeout, crash) and a redelivery failed it. */
export type JobOutcome = 'succeeded' | 'failed' | 'stale';

/**
 * The function's metrics buffer: functions/worker.ts flushes it at the end of each invocation. Pure (for
 * esbuild): the ingress functions reach this module through the lib/flows/jobs barrel but never record a
 * metric, so their bundles drop it and do not build it on a cold start.
 */
export const metrics = /* @__PURE__ */ new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'fluxline' });

/** Publishes what was buffered during this invocation, if anything (no "no metrics" warning otherwise). */
export function flushMetrics(target: Metrics = metrics): void {
  if (target.hasStoredMetrics()) target.publishStoredMetrics();
}

/**
 * `JobsCompleted`, 1, by `kind` and `outcome`. Each job is its own EMF line (a single metric) so two jobs
 * of one invocation never share dimensions.
 */
export function recordJobCompleted(kind: string, outcome: JobOutcome, { env = process.env, target = metrics }: { env?: Env; target?: Metrics } = {}): void {
  if (!metricsEnabled(env)) return;
  if (outcome !== 'succeeded') recordFailure('job', env);
  const single = target.singleMetric();
  single.addDimension('kind', kind).addDimension('outcome', outcome);
  single.addMetric('JobsCompleted', MetricUnit.Count, 1);
}
