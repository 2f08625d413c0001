import { RateLimited } from './errors';
import { headerOf, statusOf } from './request-error';

/**
 * How hard a GitHub call tries before it gives up. Sized for the webhook Lambda: GitHub drops a
 * delivery it has not had an answer to within 10 s, so retries must be few and short.
 */
export interface RequestPolicy {
  /**
   * Retries of a 5xx or network failure (4xx answers are final: a retry gets the same answer).
   * @default 2
   */
  retries: number;
  /**
   * Backoff unit of @octokit/plugin-retry: retry n waits n² × this (250 ms, then 1 s).
   * @default 250
   */
  retryBaseMs: number;
  /**
   * A rate-limited call is retried once when GitHub asks to wait at most this long; else it fails.
   * @default 3
   */
  maxRateLimitWaitSeconds: number;
  /**
   * Each attempt is aborted after this long (then counts as a 5xx and may be retried), so one hung
   * connection cannot eat the webhook's 10 s. Worst case: 3 attempts × 2.5 s + 1.25 s backoff ≈ 8.8 s.
   * @default 2500
   */
  attemptTimeoutMs: number;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  retries: 2,
  retryBaseMs: 250,
  maxRateLimitWaitSeconds: 3,
  attemptTimeoutMs: 2_500,
};

/**
 * Options of @octokit/plugin-retry. Every 4xx is final: 429 and the rate-limit 403 belong to the
 * throttling plugin, which knows how long GitHub asked us to wait.
 */
export function retryOptions(policy: RequestPolicy): { retries: number; retryAfterBaseValue: number; doNotRetry: number[] } {
  return {
    retries: policy.retries,
    retryAfterBaseValue: policy.retryBaseMs,
    doNotRetry: Array.from({ length: 100 }, (_, i) => 400 + i),
  };
}

/** The decision of @octokit/plugin-throttling's onRateLimit / onSecondaryRateLimit: wait once, and only briefly. */
export function shouldWaitOutRateLimit(policy: RequestPolicy, retryAfterSeconds: number, retryCount: number): boolean {
  return retryCount === 0 && retryAfterSeconds <= policy.maxRateLimitWaitSeconds;
}

/**
 * Turns GitHub's rate-limit answers (429, or 403 with `x-ratelimit-remaining: 0` or "secondary rate
 * limit" in the message, docs: rest/using-the-rest-api/rate-limits-for-the-rest-api) into RateLimited;
 * returns undefined for any other error.
 */
export function rateLimitError(err: unknown, request: string, now: () => number = Date.now): RateLimited | undefined {
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : '';
  const limited = status === 429 || (status === 403 && (headerOf(err, 'x-ratelimit-remaining') === '0' || /secondary rate limit/i.test(message)));
  if (!limited) return undefined;
  return new RateLimited(secondsToWait(err, now), request, { cause: err });
}

function secondsToWait(err: unknown, now: () => number): number {
  const retryAfter = Number(headerOf(err, 'retry-after') ?? Number.NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter;
  const reset = Number(headerOf(err, 'x-ratelimit-reset') ?? Number.NaN);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - now() / 1000));
  // GitHub's documented advice when it names no time: wait at least one minute.
  return 60;
}
