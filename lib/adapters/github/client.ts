import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { setTimeout as sleep } from 'node:timers/promises';
import { nodeHttpFetch, type NodeFetchInit } from '../http-client/node-http-fetch';
import { logger } from '../../core/log';
import type { appJwtSigner } from './app-jwt';
import { nextAttempt, type RequestPolicy } from './request-policy';

/** An Octokit authenticated as the app (JWT) or as one of its installations (installation token). */
export type GithubClient = InstanceType<typeof FluxlineOctokit>;

/**
 * @octokit/core with pagination; routes are called by name (`client.request('GET /repos/…')`), which keeps
 * the REST endpoint table (~80 KB) out of the bundles. Retries and rate limits are `withRequestPolicy`
 * below, not @octokit/plugin-retry and plugin-throttling: both schedule every request through Bottleneck,
 * whose timers added ~15 ms to each call (0.6 ms without them, measured against a local server), and a
 * Lambda container serves one request at a time, so their per-process queues have nothing to order.
 */
const FluxlineOctokit = Octokit.plugin(paginateRest);

const USER_AGENT = 'fluxline-github-app';

export interface ClientOptions {
  appId: string;
  /** Signs the app JWT; one per app, so the key is parsed once (see appJwtSigner). */
  createJwt: ReturnType<typeof appJwtSigner>;
  /** GitHub REST base, without a trailing slash. */
  apiUrl: string;
  /** Absent: the client can only call app (JWT) endpoints such as GET /repos/{owner}/{repo}/installation. */
  installationId?: number;
  policy: RequestPolicy;
}

/**
 * Octokit's transport: node:http(s) (see nodeHttpFetch), each attempt aborted when it takes too long
 * unless the caller brought its own signal. Octokit types its option as the global fetch, whose part it
 * uses nodeHttpFetch implements.
 */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  const send = (input: string | URL, init?: NodeFetchInit) => nodeHttpFetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
  return send as unknown as typeof fetch;
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
  const client = new FluxlineOctokit({
    baseUrl: options.apiUrl,
    userAgent: USER_AGENT,
    authStrategy: createAppAuth,
    auth: { appId: options.appId, createJwt: options.createJwt, ...(options.installationId === undefined ? {} : { installationId: options.installationId }) },
    log: octokitLog,
    request: { fetch: fetchWithTimeout(options.policy.attemptTimeoutMs) },
  });
  withRequestPolicy(client, options.policy);
  return client;
}

/** @octokit/auth-app fetches installation tokens through the client it authenticates. */
const TOKEN_EXCHANGE = /^\/app\/installations\/[^/]+\/access_tokens$/;
/**
 * A redelivery that failed with a 5xx may still have been made; a retry could make a second one. The
 * redelivery sweep (lib/flows/redeliveries) looks for it in GitHub's list before it asks again.
 */
const REDELIVERY = /^\/app\/hook\/deliveries\/[^/]+\/attempts$/;
/**
 * A comment created whose answer was lost (a 5xx after the write, a timeout) exists: a blind retry makes
 * a second one. The sticky comment (sticky-comment.ts) looks for its marker before it creates again.
 */
const ISSUE_COMMENT = /^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments$/;
/** The same for a review: review.ts looks for it among the PR's reviews before it approves again. */
const REVIEW = /^\/repos\/[^/]+\/[^/]+\/pulls\/[^/]+\/reviews$/;
/** The same for a check run: lib/flows/diffs/check-run.ts finds it by name and `external_id` before it creates again. */
const CHECK_RUN = /^\/repos\/[^/]+\/[^/]+\/check-runs$/;

/**
 * Every request of the client, retried as the policy says. A rate limit not worth waiting out fails as
 * RateLimited; any other final failure stays Octokit's RequestError.
 */
function withRequestPolicy(client: GithubClient, policy: RequestPolicy): void {
  client.hook.wrap('request', async (request, route) => {
    const name = `${route.method} ${route.url}`;
    // The token exchange runs inside the call that needed the token, whose own retries repeat it: retrying
    // it here as well would nest 3 × 3 hung attempts, far past the webhook's 10 s.
    // A redelivery is not retried here either (see REDELIVERY).
    const retries = route.method === 'POST' && (TOKEN_EXCHANGE.test(route.url) || REDELIVERY.test(route.url) || ISSUE_COMMENT.test(route.url) || REVIEW.test(route.url) || CHECK_RUN.test(route.url)) ? 0 : policy.retries;
    const attempts = { serverErrors: 0, rateLimits: 0 };
    for (;;) {
      try {
        return await request(route);
      } catch (err) {
        const next = nextAttempt(policy, err, name, attempts, retries);
        if (!next.retry) throw next.rateLimited ?? err;
        if (next.rateLimited) {
          attempts.rateLimits++;
          logger.warn('GitHub rate limit: waiting once', { request: name, retryAfterSeconds: next.rateLimited.retryAfterSeconds });
        } else {
          attempts.serverErrors++;
        }
        await sleep(next.delayMs);
      }
    }
  });
}
