import { setTimeout as sleep } from 'node:timers/promises';
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { SlackApiError, SlackError, SlackRateLimited, SlackRequestFailed } from './errors';
import { hintFor } from './hints';
import { networkReason } from './network-reason';

/**
 * How hard to try. Slack calls run inside the webhook and Slack Lambdas, which must answer GitHub within
 * 10 s and Slack within 3 s, so retries are few and short, and a long Retry-After fails fast instead of
 * sleeping past the caller's deadline (GitHub redelivers; SQS retries the worker).
 */
export interface SlackRetryOptions {
  /** Retries after the first attempt, for HTTP 429, HTTP 5xx and network errors; `ok: false` is never retried. @default 2 */
  retries?: number;
  /** Wait before the first retry of a 5xx or network error; doubles with each retry, plus up to 50 % jitter. @default 200 */
  backoffMs?: number;
  /** Longest Retry-After (seconds) waited out; a longer one fails at once with `SlackRateLimited`. @default 3 */
  maxRetryAfterSeconds?: number;
  /** Timeout of one HTTP request. @default 3000 */
  requestTimeoutMs?: number;
  /** No retry starts unless it can finish, request timeout included, within this many ms of the first attempt. @default 8000 */
  budgetMs?: number;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
  /** For tests. */
  now?: () => number;
}

export type RetryPolicy = Required<SlackRetryOptions>;

export function retryPolicy(options: SlackRetryOptions = {}): RetryPolicy {
  return {
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 200,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 3,
    requestTimeoutMs: options.requestTimeoutMs ?? 3000,
    budgetMs: options.budgetMs ?? 8000,
    sleep: options.sleep ?? ((ms) => sleep(ms)),
    now: options.now ?? Date.now,
  };
}

type Failure =
  | { kind: 'final'; error: Error }
  /** Worth another try after `waitMs`; `exhausted` is what to throw when there is none left. */
  | { kind: 'retry'; waitMs: number; exhausted: (attempts: number, why: string) => Error };

function backoff(policy: RetryPolicy, attempt: number): number {
  const base = policy.backoffMs * 2 ** (attempt - 1);
  return Math.round(base + Math.random() * base * 0.5);
}

/** Maps what WebClient throws to what we do about it. Never puts the token in a message: WebClient's errors do not carry it. */
function classify(method: string, err: unknown, attempt: number, policy: RetryPolicy): Failure {
  if (err instanceof WebAPIPlatformError) {
    const { error: code, needed, response_metadata: metadata } = err.data as typeof err.data & { needed?: string };
    return { kind: 'final', error: new SlackApiError(method, code, hintFor(code, needed), metadata?.messages ?? [], { cause: err }) };
  }
  if (err instanceof WebAPIRateLimitedError) {
    const seconds = err.retryAfter;
    if (seconds > policy.maxRetryAfterSeconds) {
      return { kind: 'final', error: new SlackRateLimited(method, seconds, `longer than the ${policy.maxRetryAfterSeconds} s Fluxline waits inside a request`, { cause: err }) };
    }
    return { kind: 'retry', waitMs: seconds * 1000, exhausted: (attempts, why) => new SlackRateLimited(method, seconds, `still limited after ${attempts} attempts and ${why}`, { cause: err }) };
  }
  if (err instanceof WebAPIHTTPError) {
    const status = err.statusCode;
    if (status >= 500) {
      return {
        kind: 'retry',
        waitMs: backoff(policy, attempt),
        exhausted: (attempts, why) => new SlackRequestFailed(method, attempts, status, `Slack answered HTTP ${status} and ${why}; check https://slack-status.com`, { cause: err }),
      };
    }
    return { kind: 'final', error: new SlackRequestFailed(method, attempt, status, `Slack answered HTTP ${status}: check SLACK_API_URL (it must end in /api/)`, { cause: err }) };
  }
  if (err instanceof WebAPIRequestError) {
    return {
      kind: 'retry',
      waitMs: backoff(policy, attempt),
      exhausted: (attempts, why) => new SlackRequestFailed(method, attempts, undefined, `could not reach Slack (${networkReason(err.original, policy.requestTimeoutMs)}) and ${why}`, { cause: err }),
    };
  }
  // Already ours (a lookup inside the call gave up after its own retries): as it is, not wrapped again.
  if (err instanceof SlackError) return { kind: 'final', error: err };
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'final', error: new SlackError(`Slack ${method} failed: ${message}`, { cause: err }) };
}

/**
 * Runs one Slack call with Fluxline's bounded retries: a 429 is waited out when its Retry-After is short
 * (the call is retried, not rejected), 5xx and network errors back off briefly, and nothing retries past
 * `retries` or the time budget.
 */
export async function withRetry<T>(method: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  const started = policy.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const failure = classify(method, err, attempt, policy);
      if (failure.kind === 'final') throw failure.error;
      if (attempt > policy.retries) throw failure.exhausted(attempt, `no retries are left`);
      const finishesBy = policy.now() - started + failure.waitMs + policy.requestTimeoutMs;
      if (finishesBy > policy.budgetMs) throw failure.exhausted(attempt, `another try would pass the ${policy.budgetMs} ms budget`);
      await policy.sleep(failure.waitMs);
    }
  }
}

