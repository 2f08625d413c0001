import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runtimeFor } from '../../functions/compose/runtime';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { SQS_BODY_LIMIT } from '../../lib/flows/ingress';
import { consumeGithubDelivery } from '../../lib/flows/notices/consume-delivery';
import { fakeAwsEnv, startFakeSqs, type FakeSqs } from '../fakes/sqs';
import { githubDeliveryEvent } from '../helpers/github-payloads';
import { APP_ID, useWebhookWorld, WEBHOOK_SECRET as SECRET } from '../helpers/webhook-world';

// DESIGN §3 flow 0: the ack path. What the consumer then does is in github-deliveries.test.ts.
describe('POST /github/webhook', () => {
  let sqs: FakeSqs;
  beforeAll(async () => {
    sqs = await startFakeSqs();
  });
  afterAll(() => sqs.stop());
  // The AWS path: the ingress signs its SendMessage to the SQS fake's FIFO queue.
  const world = useWebhookWorld(() => ({ GITHUB_DELIVERIES_QUEUE_URL: sqs.fifoQueueUrl, ...fakeAwsEnv({ sqs: sqs.url }) }));
  const pullRequest: ReturnType<typeof world>['pullRequest'] = (...args) => world().pullRequest(...args);
  // The world's parts under short names, for this test (the world gives each test its own PR number).
  let { env, slack, github, number } = {} as ReturnType<typeof world>;
  beforeEach(() => ({ env, slack, github, number } = world()));

  const deliver = (payload: unknown, options: { deliveryId?: string; eventName?: string } = {}) =>
    handleGithubWebhook(githubDeliveryEvent(options.eventName ?? 'pull_request', payload, { secret: SECRET, ...options }), env);

  const sentTo = () => sqs.messages.length;
  /** What the ack path may touch: nothing at GitHub or Slack. */
  const outboundCalls = () => github.requests.length + slack.requests.length;

  it('answers ping with 200 and queues nothing', async () => {
    const queued = sentTo();
    const response = await deliver({ zen: 'Keep it logically awesome.', hook_id: 1 }, { eventName: 'ping' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ status: 'pong' });
    expect(sentTo()).toBe(queued);
  });

  it('makes a pull_request delivery durable and answers 202, without calling GitHub or Slack', async () => {
    // Prepare
    const payload = pullRequest('opened', ['clusters/stage/apps.yaml']);
    const deliveryId = randomUUID();
    const calls = outboundCalls();

    // Act
    const response = await deliver(payload, { deliveryId });

    // Assess
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ status: 'queued', delivery: deliveryId });
    expect(outboundCalls()).toBe(calls);
    const [message] = sqs.messages.slice(-1);
    expect(message?.groupId).toBe(`acme/fleet#${number}`);
    expect(message?.deduplicationId).toBe(deliveryId);
    expect(JSON.parse(message?.body ?? '{}')).toEqual({ v: 1, id: deliveryId, event: 'pull_request', payload });
  });

  it('acknowledges events it does not handle with 202 and queues nothing', async () => {
    const queued = sentTo();
    const response = await deliver({ action: 'created', issue: {} }, { eventName: 'issue_comment' });
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ status: 'ignored' });
    expect(sentTo()).toBe(queued);
  });

  it.each([
    ['a bad signature', { secret: 'not-the-secret' }, 401],
    ['a missing signature', { signature: null }, 401],
  ] as const)('rejects %s with %i and queues nothing', async (_, options, status) => {
    const queued = sentTo();
    const event = githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET, ...options });

    const response = await handleGithubWebhook(event, env);

    expect(response.statusCode).toBe(status);
    expect(sentTo()).toBe(queued);
  });

  it('fails closed when no webhook secret is configured', async () => {
    const queued = sentTo();
    const { GITHUB_WEBHOOK_SECRET: _, ...withoutSecret } = env;
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET }), withoutSecret);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(SECRET);
    expect(sentTo()).toBe(queued);
  });

  it('answers 400 with a one-line reason to a body that is not JSON', async () => {
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', null, { secret: SECRET, rawBody: '{"action": "opened",' }), env);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'body is not valid JSON' });
  });

  it('answers 400 to JSON that is not a pull_request payload, and queues nothing', async () => {
    const queued = sentTo();
    const response = await deliver({ action: 'opened', pull_request: 'nope' });
    expect(response.statusCode).toBe(400);
    expect((JSON.parse(response.body ?? '{}') as { error?: string }).error).toMatch(/^not a pull_request payload: /);
    expect(sentTo()).toBe(queued);
  });

  it('answers 400 when the delivery headers are missing', async () => {
    const event = githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET });
    delete event.headers['x-github-delivery'];
    const response = await handleGithubWebhook(event, env);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('X-GitHub-Delivery');
  });

  it('answers 413 to an oversized body before verifying it, and queues nothing', async () => {
    const queued = sentTo();
    const huge = { ...pullRequest('opened', ['apps/a.yaml']), padding: 'x'.repeat(3 * 1024 * 1024) };
    const response = await deliver(huge);
    expect(response.statusCode).toBe(413);
    expect(sentTo()).toBe(queued);
  });

  it('cuts a payload over SQS\'s limit down to what the consumer reads, and the consumer still posts from it', async () => {
    // Prepare: a PR whose description makes the payload larger than an SQS message may be.
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const large = { ...payload, pull_request: { ...(payload.pull_request as Record<string, unknown>), body: 'é'.repeat(200_000) } };
    const deliveryId = randomUUID();

    // Act
    const response = await deliver(large, { deliveryId });
    const [message] = sqs.messages.slice(-1);
    await consumeGithubDelivery({ ...(await runtimeFor(env)), appId: APP_ID }, { messageId: 'm', body: message?.body ?? '', receiveCount: 1 });

    // Assess
    expect(response.statusCode).toBe(202);
    expect(Buffer.byteLength(message?.body ?? '')).toBeLessThan(SQS_BODY_LIMIT);
    expect(JSON.parse(message?.body ?? '{}')).toMatchObject({ id: deliveryId, trimmed: true });
    expect(slack.messages.filter((m) => !m.threadTs && m.text.includes(`#${number}`))).toHaveLength(1);
  });

  it('verifies a base64-encoded body on its decoded bytes', async () => {
    const event = githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET, base64: true });
    expect((await handleGithubWebhook(event, env)).statusCode).toBe(202);
  });

  it('answers 503 when the queue refuses the delivery, so GitHub shows it failed and the sweep redelivers it', async () => {
    const queued = sentTo();
    // The lean client retries a 5xx once: both attempts fail.
    sqs.failNext([503, 503]);

    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET }), env);

    expect(response.statusCode).toBe(503);
    expect(sentTo()).toBe(queued);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: expect.stringMatching(/could not be queued/) });
  });
});
