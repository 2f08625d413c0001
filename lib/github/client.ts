import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { logger } from '../log';
import { rateLimitError, retryOptions, shouldWaitOutRateLimit, type RequestPolicy } from './request-policy';

/** An Octokit authenticated as the app (JWT) or as one of its installations (installation token). */
export type GithubClient = Octokit;

const FluxlineOctokit = Octokit.plugin(retry, throttling);

const USER_AGENT = 'fluxline-github-app';

export interface ClientOptions {
  appId: string;
  privateKey: string;
  /** GitHub REST base, without a trailing slash. */
  apiUrl: string;
  /** Absent: the client can only call app (JWT) endpoints such as GET /repos/{owner}/{repo}/installation. */
  installationId?: number;
  policy: RequestPolicy;
}

/** Aborts an attempt that takes too long unless the caller brought its own signal (tarball streams do). */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}

/**
 * Octokit's log lines name the method, route and status; they go to our structured logger at debug/warn.
 * Only the message string is passed on: extra arguments may hold request options with headers.
 */
const octokitLog = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.debug(message),
  warn: (message: string) => logger.warn(message),
  error: (message: string) => logger.warn(message),
};

export function createClient(options: ClientOptions): GithubClient {
  const { policy } = options;
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const wait = shouldWaitOutRateLimit(policy, retryAfter, retryCount);
    logger.warn(`GitHub ${kind} rate limit`, { request: `${request.method} ${request.url}`, retryAfterSeconds: retryAfter, retryCount, waiting: wait });
    return wait;
  };
  const client = new FluxlineOctokit({
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    authStrategy: createAppAuth,
    auth: { appId: options.appId, privateKey: options.privateKey, ...(options.installationId === undefined ? {} : { installationId: options.installationId }) },
    log: octokitLog,
    request: { fetch: fetchWithTimeout(policy.attemptTimeoutMs) },
    retry: retryOptions(policy),
    throttle: {
      // Limiters are per process and keyed by this id: every client of one app shares GitHub's budget.
      id: `fluxline-${options.appId}`,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
  });
  // @octokit/auth-app fetches installation tokens through this same client, so the token request would
  // get its own retries inside each retry of the call that needed it (3 × 3 hung attempts blow the 10 s).
  // The outer call retries the whole thing, token included.
  client.hook.before('request', (request) => {
    if (request.method === 'POST' && /^\/app\/installations\/[^/]+\/access_tokens$/.test(request.url)) request.request = { ...request.request, retries: 0 };
  });
  // Registered after the plugins, so it sees the final error once retries and throttling gave up.
  client.hook.error('request', (error, request) => {
    throw rateLimitError(error, `${request.method} ${request.url}`) ?? error;
  });
  return client;
}
