import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Env } from '../lib/core/config/env';
import type { ReadinessReport } from '../lib/flows/readiness';

export interface HealthOptions {
  env?: Env;
}

/** A deep check costs SSM calls: one per container per 30 s at most, whatever the request rate (the route is also throttled, serverless.yml). */
const READINESS_MAX_AGE_MS = 30_000;
let lastReport: { at: number; report: Promise<ReadinessReport> } | undefined;

/** Forgets the last deep check (tests). */
export function clearReadinessCache(): void {
  lastReport = undefined;
}

function answer(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 & { statusCode: number } {
  return { statusCode, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
}

/**
 * GET /health: answers as long as the function can run at all, from memory (no config, no AWS call), so a
 * probe costs nothing. GET /health?deep=1 is the readiness check: every SSM parameter of the stage and
 * config.yaml, read once, and a 503 listing what is missing or refused by name (never a value). Its code
 * is loaded only when asked for.
 */
export async function handleHealth(event: Pick<APIGatewayProxyEventV2, 'queryStringParameters'>, { env = process.env }: HealthOptions = {}): Promise<APIGatewayProxyStructuredResultV2 & { statusCode: number }> {
  const deep = event.queryStringParameters?.deep;
  if (!deep || deep === '0' || deep === 'false') return answer(200, { status: 'ok' });
  const now = Date.now();
  if (!lastReport || now - lastReport.at >= READINESS_MAX_AGE_MS) {
    const report = (async () => {
      const [{ checkReadiness }, { readinessDepsOf }] = await Promise.all([import('../lib/flows/readiness'), import('./compose/readiness-deps')]);
      return checkReadiness(readinessDepsOf(env));
    })();
    lastReport = { at: now, report };
  }
  const report = await lastReport.report;
  return answer(report.status === 'ok' ? 200 : 503, report.status === 'ok' ? { status: 'ok', checked: report.checked } : { status: 'failing', problems: report.problems, checked: report.checked });
}

export const handler = (event: APIGatewayProxyEventV2) => handleHealth(event);
