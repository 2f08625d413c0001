import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Env } from '../config';

/** CloudWatch namespace of every Fluxline metric (serverless.yml also sets POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Fluxline';

/** How a job ended: `stale` = its worker died (timeout, crash) and a redelivery failed it. */
export type JobOutcome = 'succeeded' | 'failed' | 'stale';

/**
 * Metrics are written as EMF lines on stdout, which only CloudWatch Logs turns into metrics: in Lambda
 * they are data, anywhere else (tests, `npm start` under serverless-offline, which sets IS_OFFLINE) they
 * are noise. POWERTOOLS_METRICS_DISABLED, when set, wins either way.
 */
export function metricsEnabled(env: Env = process.env): boolean {
  const disabled = env.POWERTOOLS_METRICS_DISABLED?.toLowerCase();
  if (disabled !== undefined && disabled !== '') return !['1', 'true', 'yes', 'on'].includes(disabled);
  return Boolean(env.AWS_LAMBDA_FUNCTION_NAME) && !env.IS_OFFLINE && !env.VITEST;
}

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
  const single = target.singleMetric();
  single.addDimension('kind', kind).addDimension('outcome', outcome);
  single.addMetric('JobsCompleted', MetricUnit.Count, 1);
}
