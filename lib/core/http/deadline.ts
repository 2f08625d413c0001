import { DependencyTimedOut } from './errors';

/**
 * The error names of the adapters' own timeouts (store StoreTimedOut, aws AwsRequestTimedOut, fetch's and
 * the AWS SDK's TimeoutError), matched by name because core sits below the adapters and imports none.
 */
const TIMEOUT_NAMES = new Set(['StoreTimedOut', 'AwsRequestTimedOut', 'TimeoutError']);

/** An adapter's timeout as a 503 DependencyTimedOut (message: which dependency); any other error as is. */
export function asDependencyTimeout(err: unknown): unknown {
  if (!(err instanceof Error) || !TIMEOUT_NAMES.has(err.name)) return err;
  const what = err.name === 'StoreTimedOut' ? 'DynamoDB' : err.name === 'AwsRequestTimedOut' ? 'an AWS service' : 'a dependency';
  return new DependencyTimedOut(what, { cause: err });
}

/**
 * Runs `work` but gives up after `budgetMs` with DependencyTimedOut, so a handler answers a clear 503
 * before its caller's deadline (Flux 15 s, GitHub 10 s, Slack 3 s) even when a chain of calls, each
 * within its own timeout, adds up past it. The abandoned work is not cancelled: its clients' own
 * timeouts end it.
 */
export async function answerWithin<T>(budgetMs: number, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DependencyTimedOut(`a dependency (no answer within ${budgetMs} ms)`)), budgetMs);
  });
  try {
    return await Promise.race([work(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
