import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleSlackRequest } from '../../functions/slack';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { fakeAwsEnv, startFakeSqs, type FakeSqs } from '../fakes/sqs';
import { blockActionsBody, signedSlackEvent, slashCommandBody } from '../helpers/slack-requests';

const SIGNING = 'slack-signing-secret-for-ingress-tests';

const config = `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
clusters:
  stage: { kubeconfig: { file: /dev/null } }
repositories:
  - name: acme/fleet
    diffs: [{ kustomization: flux-system/apps, cluster: stage }]
gitops: { repository: acme/fleet, branch: main }
apps: { namespaces: [podinfo] }
`;

const replyOf = (response: { body?: string }) => JSON.parse(response.body || '{}') as { response_type?: string; text?: string; error?: string };

// DESIGN §3 flow 0 for Slack, on the AWS path: the ingress signs its SendMessage to the SQS fake. What the
// consumer then does is in slack.test.ts and flux-cli.test.ts (through the in-process queue).
describe('Slack ingress (the ack path)', () => {
  let sqs: FakeSqs;
  let slack: FakeSlack;
  let env: Record<string, string>;

  beforeAll(async () => {
    sqs = await startFakeSqs();
    slack = await startFakeSlack({ token: 'xoxb-unused' });
    const dir = mkdtempSync(join(tmpdir(), 'fluxline-slack-ingress-'));
    writeFileSync(join(dir, 'config.yaml'), config);
    // No table, no bot token: the ingress needs neither (serverless.yml gives it neither).
    env = { FLUXLINE_CONFIG: join(dir, 'config.yaml'), SLACK_SIGNING_SECRET: SIGNING, SLACK_API_URL: slack.url, SLACK_REQUESTS_QUEUE_URL: sqs.queueUrl, ...fakeAwsEnv({ sqs: sqs.url }) };
  });
  afterAll(async () => {
    await sqs.stop();
    await slack.stop();
  });

  const command = (text: string, user = 'U0ADMIN') => handleSlackRequest(signedSlackEvent('/slack/commands', slashCommandBody(text, { user }), { secret: SIGNING }), { env });
  const queued = () => sqs.messages.map((m) => JSON.parse(m.body) as { kind: string; body?: string; entry?: Record<string, string> });

  it.each([
    ['help', /\/flux list/],
    ['lsit', /Did you mean `\/flux list`/],
    ['promote podinfo to prod', /promote/],
  ])('answers `/flux %s` from config alone, in the response, and queues nothing', async (text, answer) => {
    const before = sqs.messages.length;

    const response = await command(text);

    expect(response.statusCode).toBe(200);
    expect(replyOf(response)).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(answer) });
    expect(sqs.messages.length).toBe(before);
    expect(slack.requests).toHaveLength(0);
  });

  it('answers a refused mutation in the response and makes its audit line durable first', async () => {
    const before = sqs.messages.length;

    const response = await command('promote podinfo@6.7.1 to stage', 'U0DEV');

    expect(replyOf(response).text).toMatch(/Only Fluxline admins may promote/);
    expect(queued().slice(before)).toEqual([
      { v: 1, kind: 'audit', id: expect.stringMatching(/^refused:/), at: expect.any(String), entry: expect.objectContaining({ actor: 'U0DEV', action: 'promote', outcome: 'refused' }) },
    ]);
  });

  it('queues what needs the store or a job and acknowledges with an empty 200, calling nothing', async () => {
    const before = sqs.messages.length;

    const response = await command('list');

    expect(response).toMatchObject({ statusCode: 200, body: '' });
    expect(queued().slice(before)).toEqual([{ v: 1, kind: 'command', body: expect.stringContaining('text=list') }]);
    expect(slack.requests).toHaveLength(0);
  });

  it('queues a click and acknowledges it with an empty 200', async () => {
    const before = sqs.messages.length;

    const response = await handleSlackRequest(signedSlackEvent('/slack/interactions', blockActionsBody({ actionId: 'flux-diff:0', value: 'x', messageTs: '1.1' }), { secret: SIGNING }), { env });

    expect(response).toMatchObject({ statusCode: 200, body: '' });
    expect(queued().slice(before)).toEqual([{ v: 1, kind: 'interaction', body: expect.stringContaining('payload=') }]);
  });

  it('drops the clicked message\'s blocks from a click too large for SQS, keeping the ids the consumer reads', async () => {
    const before = sqs.messages.length;
    const body = blockActionsBody({ actionId: 'flux-diff:0', value: 'x', messageTs: '1.2' });
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as { message: { blocks: unknown[] } };
    payload.message.blocks = Array.from({ length: 50 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `${i} ${'é'.repeat(2_900)}` } }));
    const large = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

    const response = await handleSlackRequest(signedSlackEvent('/slack/interactions', large, { secret: SIGNING }), { env });

    expect(response.statusCode).toBe(200);
    const [message] = queued().slice(before);
    const slim = JSON.parse(new URLSearchParams(message?.body).get('payload') ?? '{}') as { message: Record<string, unknown>; actions: unknown[] };
    expect(slim.message).not.toHaveProperty('blocks');
    expect(slim.message.ts).toBe('1.2');
    expect(slim.actions).toHaveLength(1);
  });

  it.each([
    ['a bad signature', 401, { secret: 'not-the-secret' }, undefined],
    ['a missing signature', 401, { secret: SIGNING, signature: null }, undefined],
    ['a stale timestamp', 401, { secret: SIGNING, timestamp: Math.floor(Date.now() / 1000) - 301 }, undefined],
    ['a malformed command', 400, { secret: SIGNING }, 'text=help'],
    ['an oversized body', 413, { secret: SIGNING }, `text=${'x'.repeat(1024 * 1024)}`],
  ] as const)('rejects %s with %i, and stores and queues nothing', async (_, status, sign, body) => {
    const before = sqs.messages.length;

    const response = await handleSlackRequest(signedSlackEvent('/slack/commands', body ?? slashCommandBody('list'), sign), { env });

    expect(response.statusCode).toBe(status);
    expect(sqs.messages.length).toBe(before);
    expect(slack.requests).toHaveLength(0);
  });

  it('answers 503 when the queue refuses the request, so the user can send it again', async () => {
    sqs.failNext([503, 503]);

    const response = await command('list');

    expect(response.statusCode).toBe(503);
    expect(replyOf(response).error).toMatch(/could not be queued/);
  });
});
