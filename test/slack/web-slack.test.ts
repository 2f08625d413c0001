import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlack, SlackApiError, SlackRateLimited, SlackRequestFailed, type SlackPort } from '../../lib/adapters/slack';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';

const TOKEN = 'xoxb-1111-2222-fluxlinetesttoken';
const CHANNEL = 'C0FLUX';

/** A port nothing listens on: a server bound to it and closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to fail');
}

describe('createSlack with a token (WebClient against the Slack fake)', () => {
  let fake: FakeSlack;
  let slack: SlackPort;

  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN, channels: [CHANNEL, 'C0OTHER'] });
    slack = createSlack({ token: TOKEN, apiUrl: fake.url });
  });

  afterAll(async () => {
    await fake.stop();
  });

  afterEach(() => {
    fake.failNext('chat.postMessage', []);
    fake.messages.length = 0;
    fake.requests.length = 0;
  });

  const calls = (method: string) => fake.requests.filter((r) => r.method === method);

  it('posts a message and returns the channel and ts Slack assigned', async () => {
    // Prepare
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*hello* from Fluxline' } }];

    // Act
    const posted = await slack.postMessage({ channel: CHANNEL, text: 'hello', blocks });

    // Assess
    expect(posted.channel).toBe(CHANNEL);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.messages).toEqual([{ channel: CHANNEL, ts: posted.ts, text: 'hello', blocks }]);
  });

  it('updates the same message in place, replacing its blocks', async () => {
    // Prepare
    const posted = await slack.postMessage({ channel: CHANNEL, text: 'v1', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'first' } }] });

    // Act
    const updated = await slack.updateMessage({ channel: CHANNEL, ts: posted.ts, text: 'v2', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'second' } }] });
    await slack.updateMessage({ channel: CHANNEL, ts: posted.ts, text: 'v3 without blocks' });

    // Assess
    expect(updated).toEqual(posted);
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ ts: posted.ts, text: 'v3 without blocks' });
    expect(fake.messages[0]?.blocks).toBeUndefined();
    expect(fake.messages[0]?.updatedAt).toBeDefined();
  });

  it('replies in a thread of an existing message', async () => {
    // Prepare
    const parent = await slack.postMessage({ channel: CHANNEL, text: 'parent' });

    // Act
    const reply = await slack.postMessage({ channel: CHANNEL, text: 'reply', threadTs: parent.ts });

    // Assess
    expect(reply.ts).not.toBe(parent.ts);
    expect(fake.messages.filter((m) => m.threadTs === parent.ts).map((m) => m.text)).toEqual(['reply']);
  });

  it('refuses a thread reply whose parent does not exist with invalid_thread_ts', async () => {
    const err = await rejection(slack.postMessage({ channel: CHANNEL, text: 'orphan', threadTs: '1700000000.000001' }));

    expect(err).toBeInstanceOf(SlackApiError);
    expect((err as SlackApiError).code).toBe('invalid_thread_ts');
    expect(fake.messages).toHaveLength(0);
  });

  it('posts an ephemeral message to one user', async () => {
    // Prepare
    const parent = await slack.postMessage({ channel: CHANNEL, text: 'parent' });

    // Act
    await slack.postEphemeral({ channel: CHANNEL, user: 'U0ALICE', text: 'only you', threadTs: parent.ts });

    // Assess
    expect(fake.ephemerals.at(-1)).toMatchObject({ channel: CHANNEL, user: 'U0ALICE', text: 'only you', threadTs: parent.ts });
    expect(fake.messages).toHaveLength(1);
  });

  it('uploads a 1 MB report through filesUploadV2 into the thread, byte for byte', async () => {
    // Prepare
    const parent = await slack.postMessage({ channel: CHANNEL, text: 'report' });
    const line = '+  image: ghcr.io/stefanprodan/podinfo:6.5.4 # ünïcødé & <tags>\n';
    const content = line.repeat(Math.ceil(1_048_576 / line.length));

    // Act
    await slack.uploadFile({ channel: CHANNEL, threadTs: parent.ts, filename: 'flux-diff.diff', title: 'Flux diff', content, initialComment: 'Full diff attached' });

    // Assess
    const file = fake.files.at(-1);
    expect(Buffer.byteLength(content)).toBeGreaterThan(1_048_576);
    expect(file).toMatchObject({ channel: CHANNEL, threadTs: parent.ts, filename: 'flux-diff.diff', title: 'Flux diff', initialComment: 'Full diff attached' });
    expect(file?.content === content).toBe(true);
    expect(fake.requests.map((r) => r.method).slice(-3)).toEqual(['files.getUploadURLExternal', 'upload_url', 'files.completeUploadExternal']);
  });

  it('waits out a 429 Retry-After and posts exactly once', async () => {
    // Prepare
    fake.failNext('chat.postMessage', [{ status: 429, headers: { 'Retry-After': '1' } }]);

    // Act
    await slack.postMessage({ channel: CHANNEL, text: 'after the limit' });

    // Assess
    const [limited, retried, ...more] = calls('chat.postMessage');
    expect(more).toHaveLength(0);
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(990);
    expect(fake.messages.map((m) => m.text)).toEqual(['after the limit']);
  });

  it('fails fast with SlackRateLimited when Retry-After is longer than a request may wait (3 s)', async () => {
    // Prepare: a generous time budget, so only the Retry-After cap can refuse the wait
    const patient = createSlack({ token: TOKEN, apiUrl: fake.url, retry: { budgetMs: 120_000 } });
    fake.failNext('chat.postMessage', [{ status: 429, headers: { 'Retry-After': '30' } }]);

    // Act
    const err = await rejection(patient.postMessage({ channel: CHANNEL, text: 'too late' }));

    // Assess
    expect(err).toBeInstanceOf(SlackRateLimited);
    expect((err as SlackRateLimited).retryAfterSeconds).toBe(30);
    expect(err.message).toContain('longer than the 3 s');
    expect(calls('chat.postMessage')).toHaveLength(1);
    expect(fake.messages).toHaveLength(0);
  });

  it('retries 5xx answers a bounded number of times and then posts', async () => {
    // Prepare
    fake.failNext('chat.postMessage', [{ status: 502 }, { status: 503 }]);

    // Act
    await slack.postMessage({ channel: CHANNEL, text: 'third time lucky' });

    // Assess
    expect(calls('chat.postMessage')).toHaveLength(3);
    expect(fake.messages.map((m) => m.text)).toEqual(['third time lucky']);
  });

  it('gives up on a persistent 5xx after 3 attempts with SlackRequestFailed', async () => {
    // Prepare
    fake.failNext('chat.postMessage', Array.from({ length: 5 }, () => ({ status: 503 })));

    // Act
    const err = await rejection(slack.postMessage({ channel: CHANNEL, text: 'never' }));

    // Assess
    expect(err).toBeInstanceOf(SlackRequestFailed);
    expect(err).toMatchObject({ method: 'chat.postMessage', attempts: 3, status: 503 });
    expect(calls('chat.postMessage')).toHaveLength(3);
    expect(fake.messages).toHaveLength(0);
  });

  it('does not start a retry that could end past the time budget', async () => {
    // Prepare
    const hurried = createSlack({ token: TOKEN, apiUrl: fake.url, retry: { budgetMs: 1000, requestTimeoutMs: 900 } });
    fake.failNext('chat.postMessage', [{ status: 503 }, { status: 503 }]);

    // Act
    const err = await rejection(hurried.postMessage({ channel: CHANNEL, text: 'hurry' }));

    // Assess
    expect(err).toMatchObject({ name: 'SlackRequestFailed', attempts: 1 });
    expect(err.message).toContain('1000 ms budget');
    expect(calls('chat.postMessage')).toHaveLength(1);
  });

  it('fails with SlackRequestFailed when Slack cannot be reached', async () => {
    // Prepare
    const unreachable = createSlack({ token: TOKEN, apiUrl: `http://127.0.0.1:${await closedPort()}/api/`, retry: { backoffMs: 1 } });

    // Act
    const err = await rejection(unreachable.postMessage({ channel: CHANNEL, text: 'nobody there' }));

    // Assess
    expect(err).toBeInstanceOf(SlackRequestFailed);
    expect(err).toMatchObject({ attempts: 3, status: undefined });
    expect(err.message).toMatch(/could not reach Slack/);
  });

  it.each([
    { error: 'not_in_channel', hint: /invite the Fluxline bot/ },
    { error: 'channel_not_found', hint: /channel ID in config\.yaml/ },
    { error: 'is_archived', hint: /archived/ },
    { error: 'missing_scope', needed: 'chat:write', hint: /chat:write scope/ },
  ])('surfaces ok:false $error as SlackApiError with a hint an operator can act on', async ({ error, needed, hint }) => {
    // Prepare
    fake.failNext('chat.postMessage', [{ status: 200, body: { ok: false, error, ...(needed ? { needed } : {}) } }]);

    // Act
    const err = await rejection(slack.postMessage({ channel: CHANNEL, text: 'hello' }));

    // Assess
    expect(err).toBeInstanceOf(SlackApiError);
    expect(err).toMatchObject({ method: 'chat.postMessage', code: error });
    expect((err as SlackApiError).hint).toMatch(hint);
    expect(err.message).toContain(error);
    expect(calls('chat.postMessage')).toHaveLength(1);
  });

  it("carries Slack's invalid_blocks details, pointing at the offending block", async () => {
    const err = await rejection(slack.postMessage({ channel: CHANNEL, text: 'too long', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }));

    expect(err).toMatchObject({ name: 'SlackApiError', code: 'invalid_blocks' });
    expect((err as SlackApiError).details.join()).toContain('json-pointer:/blocks/0/text/text');
  });

  it('answers message_not_found when updating a message that does not exist', async () => {
    const err = await rejection(slack.updateMessage({ channel: CHANNEL, ts: '1700000000.000009', text: 'ghost' }));

    expect(err).toMatchObject({ name: 'SlackApiError', code: 'message_not_found' });
  });

  it('reports a wrong token as invalid_auth without revealing the token', async () => {
    // Prepare
    const wrongToken = 'xoxb-9999-8888-notthetoken';
    const impostor = createSlack({ token: wrongToken, apiUrl: fake.url });

    // Act
    const err = await rejection(impostor.postMessage({ channel: CHANNEL, text: 'let me in' }));

    // Assess
    expect(err).toMatchObject({ name: 'SlackApiError', code: 'invalid_auth' });
    expect((err as SlackApiError).hint).toMatch(/SLACK_BOT_TOKEN/);
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain(wrongToken);
    expect(fake.messages).toHaveLength(0);
  });
});

describe('createSlack: a post whose answer is lost (effectId)', () => {
  let fake: FakeSlack;
  let slack: SlackPort;
  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN, channels: [CHANNEL] });
    slack = createSlack({ token: TOKEN, apiUrl: fake.url, retry: { backoffMs: 1 } });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('finds the message Slack took instead of posting it again, in a channel and in a thread', async () => {
    // Prepare
    const parent = await slack.postMessage({ channel: CHANNEL, text: 'parent' });
    fake.failAfterEffect('chat.postMessage', [{ status: 500 }, { status: 503 }]);

    // Act
    const top = await slack.postMessage({ channel: CHANNEL, text: 'notice', effectId: 'notice:1' });
    const reply = await slack.postMessage({ channel: CHANNEL, threadTs: parent.ts, text: 'report', effectId: 'report:1' });

    // Assess
    expect(fake.messages.filter((m) => m.text === 'notice')).toEqual([expect.objectContaining({ ts: top.ts, metadata: { event_type: 'fluxline_post', event_payload: { id: 'notice:1' } } })]);
    expect(fake.messages.filter((m) => m.text === 'report').map((m) => m.ts)).toEqual([reply.ts]);
    expect(await slack.findPosted({ channel: CHANNEL, effectId: 'notice:1', since: new Date() })).toEqual({ channel: CHANNEL, ts: top.ts });
    expect(await slack.findPosted({ channel: CHANNEL, effectId: 'notice:2', since: new Date() })).toBeUndefined();
  });

  it('finds nothing, and says why in the log, when the bot may not read the channel', async () => {
    fake.failNext('conversations.history', [{ status: 200, body: { ok: false, error: 'missing_scope', needed: 'channels:history' } }]);
    expect(await slack.findPosted({ channel: CHANNEL, effectId: 'x', since: new Date() })).toBeUndefined();
  });
});
