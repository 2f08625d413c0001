import type { Env } from '../config/env';

/** CloudWatch namespace of every Fluxline metric (serverless.yml also sets POWERTOOLS_METRICS_NAMESPACE). */
export const METRICS_NAMESPACE = 'Fluxline';

/** Where a failure was turned into something other than a thrown error: a 5xx, a failed message, a failed job. */
export type FailureSource = 'http' | 'message' | 'job';

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
 * `Failures`, 1: a handler answered 5xx, a queue message failed, or a job ended failed. Lambda's Errors
 * metric sees none of these (each is caught and answered), so infra/aws/alarms.yml alarms on this one.
 * Two dimension sets: `service` alone, the one series the alarm watches, and by function and source to
 * find where. Written by hand in the Embedded Metric Format (one JSON line on stdout), not with Powertools
 * Metrics, which would add ~10 KB to the Slack ingress bundle (≤ 150 KB, README "Benchmark").
 */
export function recordFailure(source: FailureSource, env: Env = process.env): void {
  if (!metricsEnabled(env)) return;
  const line = {
    _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: METRICS_NAMESPACE, Dimensions: [['service'], ['service', 'function', 'source']], Metrics: [{ Name: 'Failures', Unit: 'Count' }] }] },
    service: 'fluxline',
    function: env.AWS_LAMBDA_FUNCTION_NAME,
    source,
    Failures: 1,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
