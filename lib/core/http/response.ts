import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger } from '../log';
// The file, not the metrics barrel: the barrel brings Powertools Metrics into the ingress bundles.
import { recordFailure } from '../metrics/failures';
import { HttpError } from './errors';

export type HttpResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export function json(statusCode: number, body: unknown): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

export function text(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

/**
 * Maps an error to a response: an HttpError keeps its status and one-line message; anything else is a
 * 500 whose details stay in the log — never echo secrets or stack traces to the caller. Every 5xx counts
 * in the `Failures` metric, which the alarms watch (the function itself did not fail, so Lambda's
 * Errors metric does not see it).
 */
export function errorResponse(err: unknown): HttpResponse {
  if (err instanceof HttpError) {
    if (err.status >= 500) {
      logger.error(err.message, { error: err.name });
      recordFailure('http');
    } else logger.warn(err.message, { error: err.name, status: err.status });
    return json(err.status, { error: err.message.split('\n')[0] });
  }
  logger.error('unhandled error', { error: err as Error });
  recordFailure('http');
  return json(500, { error: 'internal error; see the function logs' });
}
