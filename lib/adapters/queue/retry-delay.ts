/** How a failed message waits before its next delivery. */
export interface RetryPolicy {
  /** Deliveries before the message goes to the dead-letter queue (SQS `maxReceiveCount`). */
  maxReceives: number;
  /** Wait after the first failure; doubles with each further failure. */
  baseDelaySeconds: number;
  /** Longest wait, Retry-After included (SQS caps a visibility timeout at 12 hours; we stay far below). */
  maxDelaySeconds: number;
}

/**
 * AWS: 10 s, 20 s, 40 s … up to 15 min over 8 deliveries, about 21 minutes of outage in all before a message is
 * dead-lettered (Slack's and GitHub's incidents are mostly shorter; the DLQ alarm tells someone when they are not).
 */
export const SQS_RETRY_POLICY: RetryPolicy = { maxReceives: 8, baseDelaySeconds: 10, maxDelaySeconds: 900 };

/** npm start: the same shape, ten times faster (1 s … 64 s, about two minutes), so a user can watch it. */
export const LOCAL_RETRY_POLICY: RetryPolicy = { maxReceives: 8, baseDelaySeconds: 1, maxDelaySeconds: 90 };

/** Errors that know when to try again: Slack's and GitHub's rate limits (`SlackRateLimited`, `RateLimited`). */
function retryAfterSecondsOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('retryAfterSeconds' in err)) return undefined;
  const seconds = Number(err.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/**
 * Seconds until the next delivery of a message that failed on its `receiveCount`-th delivery: what the
 * remote end asked for (Retry-After) when it said, else exponential backoff with up to 20 % jitter, so
 * the messages of one outage do not all come back in the same second.
 */
export function retryDelaySeconds(err: unknown, receiveCount: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const asked = retryAfterSecondsOf(err);
  const backoff = policy.baseDelaySeconds * 2 ** Math.max(0, receiveCount - 1);
  const seconds = asked ?? backoff * (1 + random() * 0.2);
  return Math.min(policy.maxDelaySeconds, Math.ceil(seconds));
}
