import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookProxy, type WebhookProxy } from '../../scripts/connect/github-webhook-proxy';
import { startFakeSmee, type FakeSmee } from '../fakes/smee';
import { pullRequestPayload } from '../helpers/github-payloads';
import { startLocalServer, type LocalServer } from '../helpers/local-server';
import { SECRETS, useWorld } from '../helpers/world';

describe('npm start with WEBHOOK_PROXY_URL: GitHub deliveries through a smee channel', () => {
  const world = useWorld();
  let smee: FakeSmee;
  let server: LocalServer;
  let proxy: WebhookProxy;

  beforeAll(async () => {
    smee = await startFakeSmee();
    server = await startLocalServer(world().env);
    proxy = await startWebhookProxy({ source: smee.url, target: server.url, log: () => undefined });
    await smee.connected();
  });

  afterAll(async () => {
    await proxy.stop();
    await server.stop();
    await smee.stop();
  });

  /** A pull_request delivery as GitHub posts it to the channel: compact JSON, signed unless told otherwise. */
  function delivery(number: number, signature?: string) {
    const payload = pullRequestPayload('opened', { number, baseRef: 'main' });
    world().github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository: 'acme/fleet', files: ['clusters/stage/apps.yaml'] });
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/a1b2c3d', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-github-hook-installation-target-type': 'integration' };
    if (signature !== '') headers['x-hub-signature-256'] = signature ?? `sha256=${createHmac('sha256', SECRETS.webhook).update(body).digest('hex')}`;
    return { headers, body };
  }
  const noticesOf = (number: number) => world().slack.messages.filter((m) => !m.threadTs && m.text.includes(`acme/fleet#${number}`));

  it('posts the PR notice for a signed delivery, verified by POST /github/webhook', async () => {
    const { headers, body } = delivery(3101);

    smee.deliver(headers, body);
    const answer = await server.answer(server.answers.length + 1);
    await world().settle();

    expect(answer).toMatchObject({ path: '/github/webhook', status: 202 });
    expect(noticesOf(3101)).toHaveLength(1);
  });

  it.each([
    ['unsigned', ''],
    ['signed with another secret', `sha256=${'0'.repeat(64)}`],
  ])('refuses a delivery that is %s with 401 and posts nothing', async (_case, signature) => {
    const number = signature ? 3103 : 3102;
    const { headers, body } = delivery(number, signature);

    smee.deliver(headers, body);
    const answer = await server.answer(server.answers.length + 1);
    await world().settle();

    expect(answer).toMatchObject({ path: '/github/webhook', status: 401 });
    expect(noticesOf(number)).toEqual([]);
  });

  it('refuses a channel that is not https', async () => {
    await expect(startWebhookProxy({ source: 'http://smee.example.com/abc', target: server.url, log: () => undefined })).rejects.toThrow(/must be https/);
  });
});
