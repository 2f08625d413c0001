import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGithubApp, DEFAULT_REQUEST_POLICY, getPullRequest, listPullRequestFiles } from '../../lib/adapters/github';
import { generateAppKeyPair } from '../fakes/github';
import { addPullRequest, INSTALLATION, seen, startHarness, type Harness } from './harness';

const pr = { owner: 'acme', repo: 'fleet', number: 5 };
const PULL = /^\/repos\/acme\/fleet\/pulls\/5$/;

describe('retry and rate-limit policy (fits in the 10 s GitHub gives a webhook)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    addPullRequest(h.github, 5, ['apps/a.yaml']);
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('keeps the production numbers inside the webhook budget', () => {
    // Assess: 3 attempts of at most 2.5 s, plus 250 ms and 1 s of backoff.
    const { retries, retryBaseMs, attemptTimeoutMs } = DEFAULT_REQUEST_POLICY;
    const backoff = Array.from({ length: retries }, (_, i) => (i + 1) ** 2 * retryBaseMs).reduce((a, b) => a + b, 0);
    expect(retries).toBeGreaterThanOrEqual(2);
    expect((retries + 1) * attemptTimeoutMs + backoff).toBeLessThan(10_000);
  });

  it('retries a 5xx and returns the answer that follows', async () => {
    // Prepare
    h.github.failNext({ method: 'GET', path: /\/pulls\/5\/files/ }, [{ status: 502 }, { status: 503 }]);

    // Act
    const files = await listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(files.paths).toEqual(['apps/a.yaml']);
    expect(seen(h.github, /\/files$/)).toHaveLength(3);
  });

  it('gives up on a persistent 5xx after 2 retries, with the production backoff', async () => {
    // Prepare
    const app = createGithubApp({ appId: h.appId, privateKey: h.privateKey, apiUrl: h.github.url });
    const client = app.forInstallation(INSTALLATION);
    h.github.failNext({ method: 'GET', path: PULL }, Array.from({ length: 10 }, () => ({ status: 503 })));

    // Act
    const failure = getPullRequest(client, pr);

    // Assess
    await expect(failure).rejects.toMatchObject({ status: 503 });
    expect(seen(h.github, PULL)).toHaveLength(3);
  });

  // 401 is left out: @octokit/auth-app retries it for 5 s after minting a token (GitHub's token replication delay).
  it.each([400, 403, 404, 409, 422])('does not retry a %i: GitHub would answer the same', async (status) => {
    // Prepare
    h.github.failNext({ method: 'GET', path: PULL }, [{ status }, { status }]);

    // Act
    const failure = getPullRequest(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    await expect(failure).rejects.toBeDefined();
    expect(seen(h.github, PULL)).toHaveLength(1);
  });

  it('retries a failed installation token exchange as part of the call, without nesting retries', async () => {
    // Prepare
    h.github.failNext({ method: 'POST', path: /access_tokens/ }, [{ status: 500 }]);

    // Act
    const found = await getPullRequest(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(found.number).toBe(5);
    expect(seen(h.github)).toEqual([
      `POST /app/installations/${INSTALLATION}/access_tokens (jwt)`,
      `POST /app/installations/${INSTALLATION}/access_tokens (jwt)`,
      'GET /repos/acme/fleet/pulls/5 (installation)',
    ]);
  });

  it('waits out a short secondary rate limit once, then succeeds', async () => {
    // Prepare
    const limited = { status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } };
    h.github.failNext({ method: 'GET', path: PULL }, [limited]);

    // Act
    const found = await getPullRequest(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(found.number).toBe(5);
    expect(seen(h.github, PULL)).toHaveLength(2);
  });

  it('waits out a 429 that asks for a short wait once, then succeeds', async () => {
    // Prepare
    h.github.failNext({ method: 'GET', path: PULL }, [{ status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too many requests' } }]);

    // Act
    const found = await getPullRequest(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(found.number).toBe(5);
    expect(seen(h.github, PULL)).toHaveLength(2);
  });

  it('fails at once with RateLimited when GitHub asks for a wait longer than the webhook can afford', async () => {
    // Prepare
    const reset = String(Math.floor(Date.now() / 1000) + 1_800);
    h.github.failNext({ method: 'GET', path: PULL }, [
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded for installation ID 4242.' } },
    ]);

    // Act
    const failure = getPullRequest(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'RateLimited' });
    await expect(failure).rejects.toThrow(/rate limit reached on GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}; it can be retried in (1799|1800) s/);
    expect(seen(h.github, PULL)).toHaveLength(1);
  });

  it('fails with RateLimited when a short rate limit hits again after its one retry', async () => {
    // Prepare
    const limited = { status: 429, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } };
    h.github.failNext({ method: 'GET', path: PULL }, [limited, limited, limited]);

    // Act
    const failure = getPullRequest(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'RateLimited', retryAfterSeconds: 1 });
    expect(seen(h.github, PULL)).toHaveLength(2);
  });
});

describe('a GitHub that does not answer', () => {
  it('aborts each attempt after attemptTimeoutMs and gives up after 3 attempts', async () => {
    // Prepare
    let attempts = 0;
    const hung = createServer(() => {
      attempts++;
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const app = createGithubApp({
      appId: '1',
      privateKey: generateAppKeyPair().privateKey,
      apiUrl: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`,
      policy: { attemptTimeoutMs: 200, retryBaseMs: 10 },
    });

    // Act
    const failure = getPullRequest(app.forInstallation(1), pr);

    // Assess
    await expect(failure).rejects.toThrow(/timeout|aborted/i);
    expect(attempts).toBe(3);
    hung.closeAllConnections();
    await new Promise((resolve) => hung.close(resolve));
  });
});
