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
   * Backoff unit: retry n waits n² × this (250 ms, then 1 s).
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

/** What to do after a failed attempt: try again after `delayMs`, or give up. */
export interface NextAttempt {
  retry: boolean;
  delayMs: number;
  /** Set when GitHub's answer was a rate limit: waited out when `retry`, else the error to throw. */
  rateLimited?: RateLimited;
}

/** How many attempts of each kind a request has had so far. */
export interface AttemptsSoFar {
  /** Retries after a 5xx or a network failure. */
  serverErrors: number;
  /** Retries after a rate-limit answer. */
  rateLimits: number;
}

/**
 * The policy's decision after a failed attempt. A 5xx or network failure (Octokit reports both with a
 * status >= 500) is retried `retries` times, the n-th after n² × retryBaseMs. A rate-limit answer is
 * waited out once, when GitHub asks for at most maxRateLimitWaitSeconds. Every other 4xx is final: a
 * retry gets the same answer.
 */
export function nextAttempt(policy: RequestPolicy, err: unknown, request: string, attempts: AttemptsSoFar, retries = policy.retries): NextAttempt {
  const rateLimited = rateLimitError(err, request);
  if (rateLimited) {
    const wait = attempts.rateLimits === 0 && rateLimited.retryAfterSeconds <= policy.maxRateLimitWaitSeconds;
    return { retry: wait, delayMs: rateLimited.retryAfterSeconds * 1000, rateLimited };
  }
  const status = statusOf(err);
  if (status !== undefined && status >= 500 && attempts.serverErrors < retries) {
    return { retry: true, delayMs: (attempts.serverErrors + 1) ** 2 * policy.retryBaseMs };
  }
  return { retry: false, delayMs: 0 };
}

/**
 * Turns GitHub's rate-limit answers (429, or 403 with `x-ratelimit-remaining: 0` or "secondary rate
 * limit" in the message, docs: rest/using-the-rest-api/rate-limits-for-the-rest-api) into RateLimited;
 * returns undefined for any other error.
 */
function rateLimitError(err: unknown, request: string, now: () => number = Date.now): RateLimited | undefined {
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
