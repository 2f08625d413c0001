import { afterEach, describe, expect, it } from 'vitest';
import { createGithubApp, listPullRequestFiles } from '../../lib/adapters/github';
import { createSlack, SlackRequestFailed } from '../../lib/adapters/slack';
import { addPullRequest, INSTALLATION } from '../github/harness';
import { FaultSpecError, parseFaultSpec } from './faults';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from './github';
import { startFakeSlack, type FakeSlack } from './slack';

const TOKEN = 'xoxb-fake-faults';
const FILES_ROUTE = 'GET /repos/[^/]+/[^/]+/pulls/\\d+/files';

/**
 * The fakes' fault injection, seen through the real clients: Slack's WebClient (behind lib/adapters/slack's
 * bounded retries) and Octokit (behind lib/adapters/github's request policy) meet the failures, retry, and succeed.
 * Durations run on a clock the test moves, never on the wall clock.
 */
describe('fault injection in the Slack fake', () => {
  let slack: FakeSlack;
  let t = 1_000_000;
  // withRetry's sleep moves the fake's clock instead of waiting.
  const retry = { sleep: (ms: number) => ((t += ms), Promise.resolve()), now: () => t, backoffMs: 1_000 };

  afterEach(async () => {
    await slack.stop();
  });

  it('answers 503 until the outage is over, and WebClient posts on its retry', async () => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN, now: () => t });
    slack.faults.failFor({ status: 503, ms: 500 });
    const client = createSlack({ token: TOKEN, apiUrl: slack.url, retry });

    // Act
    const posted = await client.postMessage({ channel: 'C0FLUX', text: 'after the outage' });

    // Assess
    expect(slack.messages).toEqual([expect.objectContaining({ ts: posted.ts, text: 'after the outage' })]);
    expect(slack.faults.counters()).toEqual({ injected: 1, byStatus: { 503: 1 }, byKey: { 'chat.postMessage': 1 }, recovered: 0 });
  });

  it('answers 429 with the Retry-After it was given, which WebClient waits out', async () => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN, now: () => t });
    slack.faults.failFor({ status: 429, ms: 1_500, retryAfterSeconds: 2 });
    const waits: number[] = [];
    const client = createSlack({ token: TOKEN, apiUrl: slack.url, retry: { ...retry, sleep: (ms) => (waits.push(ms), retry.sleep(ms)) } });

    // Act
    await client.postMessage({ channel: 'C0FLUX', text: 'rate limited once' });

    // Assess
    expect(waits).toEqual([2_000]);
    expect(slack.messages).toHaveLength(1);
    expect(slack.faults.counters().byStatus).toEqual({ 429: 1 });
  });

  it('fails the call when the outage outlasts the retries, and posts nothing', async () => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN, now: () => t });
    slack.faults.failFor({ status: 503, ms: 60_000 });
    const client = createSlack({ token: TOKEN, apiUrl: slack.url, retry });

    // Act
    const posting = client.postMessage({ channel: 'C0FLUX', text: 'lost' });

    // Assess
    await expect(posting).rejects.toThrow(SlackRequestFailed);
    await expect(posting).rejects.toThrow(/HTTP 503/);
    expect(slack.messages).toEqual([]);
    expect(slack.faults.counters().injected).toBe(3);
  });

  it('fails only the methods it names', async () => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN, now: () => t });
    slack.faults.failFor({ status: 503, ms: 60_000, methods: ['chat.update'] });
    const client = createSlack({ token: TOKEN, apiUrl: slack.url, retry: { ...retry, retries: 0 } });

    // Act
    const posted = await client.postMessage({ channel: 'C0FLUX', text: 'posted' });
    const updating = client.updateMessage({ channel: 'C0FLUX', ts: posted.ts, text: 'not updated' });

    // Assess
    await expect(updating).rejects.toThrow(/HTTP 503/);
    expect(slack.messages.map((m) => m.text)).toEqual(['posted']);
  });

  it('answers an outage with an HTML page, as Slack’s edge does, and keeps it out of the request log', async () => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN, now: () => t });
    slack.faults.failFor({ status: 503, ms: 1_000 });

    // Act
    const response = await fetch(`${slack.url}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'channel=C0FLUX&text=x' });

    // Assess
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toMatch(/<html>/);
    expect(slack.requests).toEqual([]);
  });

  it('takes faults from another process on POST /__fake/faults, clears them on DELETE and reports counters on GET', async () => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN, now: () => t });
    const control = new URL('/__fake/faults', slack.url).toString();
    const post = () => fetch(`${slack.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });

    // Act
    const set = await fetch(control, { method: 'POST', body: JSON.stringify({ failFor: { status: 503, ms: 30_000 } }) });
    const during = await post();
    const cleared = await fetch(control, { method: 'DELETE' });
    const after = await post();
    const counters = (await (await fetch(control)).json());

    // Assess
    expect(set.status).toBe(200);
    expect(during.status).toBe(503);
    expect(cleared.status).toBe(200);
    expect(after.status).toBe(200);
    expect(counters).toMatchObject({ injected: 1, byKey: { 'auth.test': 1 } });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no fault', '{}', /failFor and\/or failFirstAttempt/],
    ['a status that is not an error', '{"failFor":{"status":200,"ms":1000}}', /status must be an HTTP error status/],
    ['no duration', '{"failFor":{"status":503}}', /ms must be a positive number/],
    ['methods that are not strings', '{"failFor":{"status":503,"ms":1,"methods":[1]}}', /methods must be a list of strings/],
  ])('refuses a control request with %s, saying what is wrong', async (_, body, message) => {
    // Prepare
    slack = await startFakeSlack({ token: TOKEN });

    // Act
    const response = await fetch(new URL('/__fake/faults', slack.url), { method: 'POST', body });

    // Assess
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
    expect(slack.faults.counters().injected).toBe(0);
  });
});

describe('fault injection in the GitHub fake', () => {
  let github: FakeGithub;
  const appId = '31999';
  const { privateKey, publicKey } = generateAppKeyPair();
  const app = () => createGithubApp({ appId, privateKey, apiUrl: github.url, policy: { retryBaseMs: 1 } });
  const files = (number: number) => listPullRequestFiles(app().forInstallation(INSTALLATION), { owner: 'acme', repo: 'fleet', number });

  afterEach(async () => {
    await github.stop();
  });

  async function start(now?: () => number) {
    github = await startFakeGithub({ appId, publicKey, ...(now ? { now } : {}) });
    github.installations.set('acme/fleet', INSTALLATION);
    for (const n of [1, 2, 3, 4]) addPullRequest(github, n, [`clusters/stage/app-${n}.yaml`]);
  }

  it('fails a route for a while, and Octokit succeeds on its retry once it is over', async () => {
    // Prepare: the fake's clock moves a second each time it is read (once per matching request).
    let t = 0;
    await start(() => (t += 1_000));
    github.faults.failFor({ status: 502, ms: 1_500, methods: [FILES_ROUTE] });

    // Act
    const listed = await files(1);

    // Assess
    expect(listed.paths).toEqual(['clusters/stage/app-1.yaml']);
    expect(github.faults.counters()).toEqual({ injected: 1, byStatus: { 502: 1 }, byKey: { 'GET /repos/acme/fleet/pulls/1/files': 1 }, recovered: 0 });
  });

  it('fails the first attempt of one PR in `every`, and each such PR succeeds on its retry', async () => {
    // Prepare
    await start();
    github.faults.failFirstAttempt({ status: 500, every: 2, methods: [FILES_ROUTE] });

    // Act
    const listed = [];
    for (const n of [1, 2, 3, 4]) listed.push((await files(n)).paths);

    // Assess
    expect(listed).toEqual([1, 2, 3, 4].map((n) => [`clusters/stage/app-${n}.yaml`]));
    expect(github.faults.counters()).toEqual({
      injected: 2,
      byStatus: { 500: 2 },
      byKey: { 'GET /repos/acme/fleet/pulls/1/files': 1, 'GET /repos/acme/fleet/pulls/3/files': 1 },
      recovered: 2,
    });
    expect(github.requests.filter((r) => r.path.endsWith('/files'))).toHaveLength(4);
  });

  it('answers 403 as a secondary rate limit, with Retry-After, in GitHub’s JSON', async () => {
    // Prepare
    await start();
    await fetch(`${github.url}/__fake/faults`, { method: 'POST', body: JSON.stringify({ failFor: { status: 403, ms: 60_000, retryAfterSeconds: 7 } }) });

    // Act
    const response = await fetch(`${github.url}/repos/acme/fleet/pulls/1`);

    // Assess
    expect(response.status).toBe(403);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/secondary rate limit/) as unknown });
  });

  it('fails a call whose outage outlasts Octokit’s retries', async () => {
    // Prepare
    await start();
    github.faults.failFor({ status: 503, ms: 60_000, methods: [FILES_ROUTE] });

    // Act
    const listing = files(2);

    // Assess
    await expect(listing).rejects.toThrow();
    expect(github.faults.counters().injected).toBe(3);
  });
});

describe('parseFaultSpec', () => {
  it('reads both kinds, with their optional fields', () => {
    expect(parseFaultSpec({ failFor: { status: 429, ms: 5_000, retryAfterSeconds: 2, methods: ['chat.postMessage'] }, failFirstAttempt: { status: 500, every: 10 } })).toEqual({
      failFor: { status: 429, ms: 5_000, retryAfterSeconds: 2, methods: ['chat.postMessage'] },
      failFirstAttempt: { status: 500, every: 10 },
    });
  });

  it.each([[null], [[]], [{ failFirstAttempt: { status: 500, every: 0 } }], [{ failFor: { status: 503, ms: 1, retryAfterSeconds: -1 } }]])('refuses %j', (body) => {
    expect(() => parseFaultSpec(body)).toThrow(FaultSpecError);
  });
});
