import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';

const TOKEN = 'xoxb-fake-slack-self-test';

/**
 * The fake is what every Slack-facing test trusts, so it is specified here on its own: raw HTTP, the
 * way Slack is documented to behave.
 */
describe('the Slack fake', () => {
  let fake: FakeSlack;

  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN, channels: ['C0FLUX'] });
  });

  afterAll(async () => {
    await fake.stop();
  });

  afterEach(() => {
    fake.messages.length = 0;
  });

  async function form(method: string, params: Record<string, string>, token: string | null = TOKEN) {
    const response = await fetch(`${fake.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
  }

  async function json(method: string, params: Record<string, unknown>, token: string = TOKEN) {
    const response = await fetch(`${fake.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` },
      body: JSON.stringify(params),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const button = (actionId: string, text = 'Go', extra: Record<string, unknown> = {}) => ({ type: 'button', action_id: actionId, text: { type: 'plain_text', text }, ...extra });

  it('posts from a form body whose blocks are a JSON string, as WebClient sends them', async () => {
    // Act
    const { status, body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'hi', blocks: JSON.stringify([section('*hi*')]) });

    // Assess
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, channel: 'C0FLUX', message: { text: 'hi', bot_id: expect.any(String) as unknown } });
    expect(fake.messages).toEqual([{ channel: 'C0FLUX', ts: body.ts, text: 'hi', blocks: [section('*hi*')] }]);
  });

  it('posts from a JSON body', async () => {
    const body = await json('chat.postMessage', { channel: 'C0FLUX', blocks: [section('json')] });

    expect(body).toMatchObject({ ok: true });
    expect(fake.messages[0]?.blocks).toEqual([section('json')]);
  });

  it.each([
    { name: 'no token', token: null, error: 'not_authed' },
    { name: 'a wrong token', token: 'xoxb-wrong', error: 'invalid_auth' },
  ])('answers $name with HTTP 200 and $error, as Slack does', async ({ token, error }) => {
    const { status, body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'hi' }, token);

    expect(status).toBe(200);
    expect(body).toEqual({ ok: false, error });
    expect(fake.messages).toHaveLength(0);
  });

  it('accepts the token as a form field', async () => {
    const { body } = await form('auth.test', { token: TOKEN }, null);

    expect(body).toMatchObject({ ok: true, user_id: expect.stringMatching(/^U/) as unknown, team_id: expect.stringMatching(/^T/) as unknown });
  });

  it.each<{ name: string; params: Record<string, string>; error: string }>([
    { name: 'neither text nor blocks', params: { channel: 'C0FLUX' }, error: 'no_text' },
    { name: 'an unknown channel', params: { channel: 'C0NOPE', text: 'hi' }, error: 'channel_not_found' },
    { name: 'a thread parent that does not exist', params: { channel: 'C0FLUX', text: 'hi', thread_ts: '1700000000.000001' }, error: 'invalid_thread_ts' },
    { name: 'blocks that are not JSON', params: { channel: 'C0FLUX', text: 'hi', blocks: '[{' }, error: 'invalid_blocks_format' },
    { name: 'text past 40,000 characters', params: { channel: 'C0FLUX', text: 'x'.repeat(40_001) }, error: 'msg_too_long' },
  ])('refuses $name with $error', async ({ params, error }) => {
    const { body } = await form('chat.postMessage', params);

    expect(body).toMatchObject({ ok: false, error });
    expect(fake.messages).toHaveLength(0);
  });

  it('refuses a reply to a reply: thread_ts must be the parent', async () => {
    // Prepare
    const parent = fake.addMessage({ channel: 'C0FLUX', text: 'parent' });
    const reply = fake.addMessage({ channel: 'C0FLUX', text: 'reply', threadTs: parent.ts });

    // Act
    const { body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'nested', thread_ts: reply.ts });

    // Assess
    expect(body).toMatchObject({ ok: false, error: 'invalid_thread_ts' });
  });

  it.each([
    { name: '51 blocks', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })), pointer: '/blocks' },
    { name: 'a section over 3,000 characters', blocks: [section('x'.repeat(3001))], pointer: '/blocks/0/text/text' },
    { name: 'an empty section text', blocks: [section('')], pointer: '/blocks/0/text/text' },
    { name: 'a button label over 75 characters', blocks: [{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }], pointer: '/blocks/0/elements/0/text/text' },
    { name: 'a mrkdwn button label', blocks: [{ type: 'actions', elements: [{ ...button('a'), text: { type: 'mrkdwn', text: 'Go' } }] }], pointer: '/blocks/0/elements/0/text/type' },
    { name: 'a button value over 2,000 characters', blocks: [{ type: 'actions', elements: [button('a', 'Go', { value: 'v'.repeat(2001) })] }], pointer: '/blocks/0/elements/0/value' },
    { name: '26 elements in one actions block', blocks: [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }], pointer: '/blocks/0/elements' },
    { name: 'a repeated action_id', blocks: [{ type: 'actions', elements: [button('same')] }, { type: 'actions', elements: [button('same')] }], pointer: '/blocks/1/elements/0/action_id' },
    { name: 'a repeated block_id', blocks: [{ ...section('a'), block_id: 'b' }, { ...section('b'), block_id: 'b' }], pointer: '/blocks/1/block_id' },
    { name: 'an unknown block type', blocks: [{ type: 'carousel-of-doom' }], pointer: '/blocks/0/type' },
  ])('refuses $name with invalid_blocks and a JSON pointer', async ({ blocks, pointer }) => {
    // Act
    const { body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'hi', blocks: JSON.stringify(blocks) });

    // Assess
    expect(body).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(JSON.stringify(body.response_metadata)).toContain(`[json-pointer:${pointer}]`);
    expect(fake.messages).toHaveLength(0);
  });

  it('accepts a message exactly at the limits', async () => {
    // Prepare
    const buttons = Array.from({ length: 25 }, (_, i) => button(`a${i}`, 'x'.repeat(75), { value: 'v'.repeat(2000) }));
    const blocks = [section('x'.repeat(3000)), { type: 'actions', elements: buttons }, ...Array.from({ length: 48 }, () => ({ type: 'divider' }))];

    // Act
    const { body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'hi', blocks: JSON.stringify(blocks) });

    // Assess
    expect(body).toMatchObject({ ok: true });
  });

  it('refuses blocks carrying more text than Slack accepts in one message', async () => {
    const blocks = Array.from({ length: 5 }, () => section('x'.repeat(3000)));

    const { body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'hi', blocks: JSON.stringify(blocks) });

    expect(body).toMatchObject({ ok: false, error: 'msg_blocks_too_long' });
  });

  it('updates in place, keeps blocks when none are sent and drops them on an empty list', async () => {
    // Prepare
    const { body: posted } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'v1', blocks: JSON.stringify([section('v1')]) });
    const ts = String(posted.ts);

    // Act
    const kept = await form('chat.update', { channel: 'C0FLUX', ts, text: 'v2' });
    const keptBlocks = fake.messages[0]?.blocks;
    const dropped = await form('chat.update', { channel: 'C0FLUX', ts, text: 'v3', blocks: '[]' });

    // Assess
    expect(kept.body).toMatchObject({ ok: true, ts, text: 'v2' });
    expect(keptBlocks).toEqual([section('v1')]);
    expect(dropped.body).toMatchObject({ ok: true });
    expect(fake.messages).toHaveLength(1);
    expect(fake.messages[0]).toMatchObject({ ts, text: 'v3', updatedAt: expect.any(String) as unknown });
    expect(fake.messages[0]?.blocks).toBeUndefined();
  });

  it('answers message_not_found when updating an unknown ts', async () => {
    const { body } = await form('chat.update', { channel: 'C0FLUX', ts: '1.000001', text: 'x' });

    expect(body).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('replays canned failures in order, with their Retry-After, then behaves normally again', async () => {
    // Prepare
    fake.failNext('chat.postMessage', [{ status: 429, headers: { 'Retry-After': '7' } }, { status: 503 }]);

    // Act
    const limited = await fetch(`${fake.url}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    const unavailable = await fetch(`${fake.url}chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    const { body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'back' });

    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(unavailable.status).toBe(503);
    expect(body).toMatchObject({ ok: true });
    expect(fake.messages.map((m) => m.text)).toEqual(['back']);
  });

  it('clears queued failures with an empty list', async () => {
    fake.failNext('chat.postMessage', [{ status: 500 }]);
    fake.failNext('chat.postMessage', []);

    const { body } = await form('chat.postMessage', { channel: 'C0FLUX', text: 'fine' });

    expect(body).toMatchObject({ ok: true });
  });

  it('runs the three steps of an external upload and keeps the file', async () => {
    // Prepare
    const parent = fake.addMessage({ channel: 'C0FLUX', text: 'report' });
    const content = 'diff --git a b\n+ added\n';

    // Act
    const { body: url } = await form('files.getUploadURLExternal', { filename: 'x.diff', length: String(Buffer.byteLength(content)) });
    const upload = await fetch(String(url.upload_url), { method: 'POST', body: content });
    const { body: done } = await form('files.completeUploadExternal', {
      files: JSON.stringify([{ id: url.file_id, title: 'The diff' }]),
      channel_id: 'C0FLUX',
      thread_ts: parent.ts,
      initial_comment: 'see attached',
    });

    // Assess
    expect(upload.status).toBe(200);
    expect(done).toMatchObject({ ok: true, files: [{ id: url.file_id, title: 'The diff' }] });
    expect(fake.files.at(-1)).toEqual({ id: url.file_id, channel: 'C0FLUX', threadTs: parent.ts, filename: 'x.diff', title: 'The diff', content, initialComment: 'see attached' });
  });

  it('refuses to complete an upload whose bytes never arrived', async () => {
    const { body: url } = await form('files.getUploadURLExternal', { filename: 'x.diff', length: '3' });

    const { body } = await form('files.completeUploadExternal', { files: JSON.stringify([{ id: url.file_id }]), channel_id: 'C0FLUX' });

    expect(body).toMatchObject({ ok: false, error: 'file_not_found' });
  });

  it('records every request with its method and time', async () => {
    const before = fake.requests.length;

    await form('auth.test', {});

    expect(fake.requests.slice(before)).toEqual([{ method: 'auth.test', at: expect.any(Number) as unknown }]);
  });
});

describe('the Slack fake: message metadata and conversations', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN, channels: ['C0FLUX'] });
  });
  afterAll(async () => {
    await fake.stop();
  });

  async function call(method: string, params: Record<string, unknown>) {
    const response = await fetch(`${fake.url}${method}`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(params) });
    return (await response.json()) as { ok: boolean; error?: string; ts?: string; messages?: { ts: string; metadata?: unknown; thread_ts?: string }[]; has_more?: boolean; response_metadata?: { next_cursor: string } };
  }
  const metadata = (id: string) => ({ event_type: 'fluxline_post', event_payload: { id } });

  it('keeps metadata and shows it in history only with include_all_metadata, newest first, without thread replies', async () => {
    const parent = await call('chat.postMessage', { channel: 'C0FLUX', text: 'one', metadata: metadata('a') });
    await call('chat.postMessage', { channel: 'C0FLUX', text: 'reply', thread_ts: parent.ts, metadata: metadata('b') });
    const second = await call('chat.postMessage', { channel: 'C0FLUX', text: 'two' });

    const plain = await call('conversations.history', { channel: 'C0FLUX' });
    const withMetadata = await call('conversations.history', { channel: 'C0FLUX', include_all_metadata: true });

    expect(plain.messages?.map((m) => m.ts)).toEqual([second.ts, parent.ts]);
    expect(plain.messages?.some((m) => m.metadata)).toBe(false);
    expect(withMetadata.messages?.[1]?.metadata).toEqual(metadata('a'));
  });

  it('lists a thread parent first, then its replies oldest first, bounded by oldest, in pages', async () => {
    const parent = await call('chat.postMessage', { channel: 'C0FLUX', text: 'parent' });
    const replies = [];
    for (const n of [1, 2, 3]) replies.push(await call('chat.postMessage', { channel: 'C0FLUX', text: `r${n}`, thread_ts: parent.ts, metadata: metadata(`r${n}`) }));

    const first = await call('conversations.replies', { channel: 'C0FLUX', ts: parent.ts, limit: 2, include_all_metadata: true });
    const next = await call('conversations.replies', { channel: 'C0FLUX', ts: parent.ts, limit: 2, cursor: first.response_metadata?.next_cursor });
    const bounded = await call('conversations.replies', { channel: 'C0FLUX', ts: parent.ts, oldest: replies[1]?.ts });

    expect(first.messages?.map((m) => m.ts)).toEqual([parent.ts, replies[0]?.ts]);
    expect(first.has_more).toBe(true);
    expect(next.messages?.map((m) => m.ts)).toEqual([replies[1]?.ts, replies[2]?.ts]);
    expect(bounded.messages?.map((m) => m.ts)).toEqual([parent.ts, replies[2]?.ts]);
    expect((await call('conversations.replies', { channel: 'C0FLUX', ts: '1.000001' })).error).toBe('thread_not_found');
  });

  it('refuses metadata that is not an event_type and an event_payload object', async () => {
    expect((await call('chat.postMessage', { channel: 'C0FLUX', text: 'x', metadata: { event_type: 'x' } })).error).toBe('invalid_metadata_format');
  });

  it('can take a post and lose its answer (failAfterEffect)', async () => {
    const before = fake.messages.length;
    fake.failAfterEffect('chat.postMessage', [{ status: 500 }]);

    const response = await fetch(`${fake.url}chat.postMessage`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ channel: 'C0FLUX', text: 'lost' }) });

    expect(response.status).toBe(500);
    expect(fake.messages.length).toBe(before + 1);
  });
});
