import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { handleGithubWebhook } from '../../functions/github-webhook';
import type { Store } from '../../lib/store';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { githubDeliveryEvent, pullRequestPayload, type PullRequestPayloadOptions } from '../helpers/github-payloads';
import { freshStore } from '../helpers/store';

const SECRET = 'webhook-secret-for-tests';
const SLACK_TOKEN = 'xoxb-test-token';
const APP_ID = '1234';
const INSTALLATION = 4242;

const config = `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
clusters:
  stage: { kubeconfig: { file: /dev/null } }
  prod: { kubeconfig: { file: /dev/null } }
repositories:
  - name: acme/fleet
    pullRequests:
      types: [opened, reopened, synchronize, ready_for_review]
      paths: { include: ['^clusters/.*', '^apps/.*'], exclude: ['\\.md$'] }
      labels: { include: [], exclude: [skip-diff] }
      forks: notify-only
    diffs:
      - { kustomization: flux-system/apps, cluster: stage }
      - { kustomization: flux-system/infrastructure, cluster: prod }
  - name: acme/labelled
    pullRequests:
      labels: { include: [gitops] }
    diffs: [{ kustomization: flux-system/apps, cluster: stage }]
  - name: acme/forks
    pullRequests: { forks: diff-by-admin }
    diffs: [{ kustomization: flux-system/apps, cluster: stage }]
`;

describe('POST /github/webhook', () => {
  let github: FakeGithub;
  let slack: FakeSlack;
  let env: Record<string, string>;
  let store: Store;
  let nextNumber = 100;

  beforeAll(async () => {
    const keys = generateAppKeyPair();
    github = await startFakeGithub({ appId: APP_ID, publicKey: keys.publicKey });
    for (const repo of ['acme/fleet', 'acme/labelled', 'acme/forks']) github.installations.set(repo, INSTALLATION);
    slack = await startFakeSlack({ token: SLACK_TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'fluxline-webhook-'));
    writeFileSync(join(dir, 'config.yaml'), config);
    store = await freshStore();
    env = {
      FLUXLINE_CONFIG: join(dir, 'config.yaml'),
      TABLE_NAME: store.table.tableName,
      DYNAMODB_ENDPOINT: inject('dynamoDbEndpoint'),
      GITHUB_APP_ID: APP_ID,
      GITHUB_PRIVATE_KEY: keys.privateKey,
      GITHUB_WEBHOOK_SECRET: SECRET,
      GITHUB_API_URL: github.url,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
    };
  });

  afterAll(async () => {
    await github.stop();
    await slack.stop();
  });

  let number: number;
  beforeEach(() => {
    number = nextNumber++;
  });

  /** Registers the PR's changed files with the GitHub fake and returns its webhook payload. */
  function pullRequest(action: string, files: string[], options: PullRequestPayloadOptions = {}) {
    const payload = pullRequestPayload(action, { number, ...options });
    github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository: options.repository ?? 'acme/fleet', files });
    return payload;
  }

  const deliver = (payload: unknown, options: { deliveryId?: string; eventName?: string } = {}) =>
    handleGithubWebhook(githubDeliveryEvent(options.eventName ?? 'pull_request', payload, { secret: SECRET, ...options }), env);

  const messagesOf = (n: number) => slack.messages.filter((m) => !m.threadTs && m.text.includes(`#${n}`));
  const buttonsOf = (message: { blocks?: unknown[] }) =>
    JSON.stringify(message.blocks ?? [])
      .match(/"text":\{"type":"plain_text","text":"([^"]+)"/g)
      ?.map((t) => t.replace(/.*"text":"/, '').replace(/"$/, '')) ?? [];

  it('answers ping with 200 and stores nothing', async () => {
    const response = await deliver({ zen: 'Keep it logically awesome.', hook_id: 1 }, { eventName: 'ping' });
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ status: 'pong' });
  });

  it('posts one Slack message with a Flux diff button per target and a View PR button', async () => {
    // Prepare
    const payload = pullRequest('opened', ['clusters/stage/apps.yaml', 'apps/podinfo/release.yaml', 'README.md']);

    // Act
    const response = await deliver(payload);

    // Assess
    expect(response.statusCode).toBe(200);
    const [message, ...others] = messagesOf(number);
    expect(others).toHaveLength(0);
    expect(message?.channel).toBe('C0FLUX');
    const blocks = JSON.stringify(message?.blocks);
    expect(blocks).toContain('clusters/stage/apps.yaml');
    expect(blocks).toContain('apps/podinfo/release.yaml');
    expect(blocks).not.toContain('README.md');
    expect(blocks).toContain(`https://github.com/acme/fleet/pull/${number}`);
    expect(buttonsOf(message ?? {}).filter((b) => b.startsWith('Flux diff'))).toHaveLength(2);
    expect(buttonsOf(message ?? {})).toContain('View PR');
    const notice = await store.getNotice('acme/fleet', number);
    expect(notice).toMatchObject({ channel: 'C0FLUX', ts: message?.ts, matchedPathCount: 2, state: 'open' });
  });

  it('posts once when the same delivery arrives twice', async () => {
    const payload = pullRequest('opened', ['clusters/prod/infra.yaml']);
    const deliveryId = randomUUID();

    const first = await deliver(payload, { deliveryId });
    const second = await deliver(payload, { deliveryId });

    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(202);
    expect(JSON.parse(second.body ?? '{}')).toEqual({ status: 'duplicate' });
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('posts once when the same delivery arrives twice at once', async () => {
    // Prepare
    const payload = pullRequest('opened', ['clusters/prod/infra.yaml']);
    const deliveryId = randomUUID();

    // Act
    const responses = await Promise.all([deliver(payload, { deliveryId }), deliver(payload, { deliveryId })]);

    // Assess
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 202]);
    expect(responses.map((r) => JSON.parse(r.body ?? '{}') as { status: string }).map((b) => b.status)).toContain('duplicate');
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('answers a redelivery as a duplicate even when GitHub fails the reads it made meanwhile', async () => {
    // Prepare
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const deliveryId = randomUUID();
    expect((await deliver(payload, { deliveryId })).statusCode).toBe(200);
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, [{ status: 404 }]);

    // Act
    const redelivered = await deliver(payload, { deliveryId });

    // Assess
    expect(redelivered.statusCode).toBe(202);
    expect(JSON.parse(redelivered.body ?? '{}')).toEqual({ status: 'duplicate' });
    expect(messagesOf(number)).toHaveLength(1);
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, []);
  });

  it('leaves a delivery whose PR files could not be read retryable: its redelivery posts once', async () => {
    // Prepare
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const deliveryId = randomUUID();
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, [{ status: 404 }]);

    // Act
    const failed = await deliver(payload, { deliveryId });
    const redelivered = await deliver(payload, { deliveryId });

    // Assess
    expect(failed.statusCode).toBeGreaterThanOrEqual(400);
    expect(redelivered.statusCode).toBe(200);
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('lists no files for an event that cannot change the message', async () => {
    // Prepare
    await deliver(pullRequest('opened', ['apps/a.yaml']));
    const filesListed = () => github.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/pulls/${number}/files`)).length;
    const before = filesListed();

    // Act
    const response = await deliver(pullRequest('assigned', ['apps/a.yaml']));

    // Assess
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ notice: { outcome: 'skipped', reason: 'action-not-watched' } });
    expect(filesListed()).toBe(before);
  });

  it('posts once when two different deliveries for the same PR race', async () => {
    const opened = pullRequest('opened', ['apps/podinfo/release.yaml']);
    const reopened = pullRequestPayload('reopened', { number });

    await Promise.all([deliver(opened), deliver(reopened)]);

    expect(messagesOf(number)).toHaveLength(1);
  });

  it('updates the same Slack message when new commits are pushed, and replies in its thread', async () => {
    // Prepare
    await deliver(pullRequest('opened', ['apps/podinfo/release.yaml'], { headSha: 'a'.repeat(40) }));
    const [posted] = messagesOf(number);

    // Act
    const response = await deliver(pullRequest('synchronize', ['apps/podinfo/release.yaml', 'apps/podinfo/hpa.yaml'], { headSha: 'b'.repeat(40) }));

    // Assess
    expect(response.statusCode).toBe(200);
    const messages = messagesOf(number);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.ts).toBe(posted?.ts);
    expect(JSON.stringify(messages[0]?.blocks)).toContain('bbbbbbb');
    expect(JSON.stringify(messages[0]?.blocks)).toContain('apps/podinfo/hpa.yaml');
    const replies = slack.messages.filter((m) => m.threadTs === posted?.ts);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text).toMatch(/aaaaaaa.*bbbbbbb/);
    expect((await store.getNotice('acme/fleet', number))?.headSha).toBe('b'.repeat(40));
  });

  it('marks the message merged and removes the diff buttons when the PR is merged', async () => {
    await deliver(pullRequest('opened', ['apps/podinfo/release.yaml']));

    await deliver(pullRequest('closed', ['apps/podinfo/release.yaml'], { merged: true }));

    const [message] = messagesOf(number);
    expect(JSON.stringify(message?.blocks)).toMatch(/[Mm]erged/);
    expect(buttonsOf(message ?? {}).filter((b) => b.startsWith('Flux diff'))).toHaveLength(0);
    expect((await store.getNotice('acme/fleet', number))?.state).toBe('merged');
  });

  it('ignores a PR that changes no watched path', async () => {
    const response = await deliver(pullRequest('opened', ['docs/index.md', 'apps/podinfo/README.md', 'src/main.go']));

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ notice: { outcome: 'skipped', reason: 'no-watched-paths' } });
    expect(messagesOf(number)).toHaveLength(0);
  });

  it('reads changed files past the first page of 100', async () => {
    const files = Array.from({ length: 250 }, (_, i) => `src/file-${i}.go`);
    files[230] = 'clusters/stage/late.yaml';

    await deliver(pullRequest('opened', files));

    expect(JSON.stringify(messagesOf(number)[0]?.blocks)).toContain('clusters/stage/late.yaml');
  });

  it('skips drafts, then posts when the PR is ready for review', async () => {
    const draft = await deliver(pullRequest('opened', ['apps/a.yaml'], { draft: true }));
    expect(JSON.parse(draft.body ?? '{}')).toMatchObject({ notice: { outcome: 'skipped', reason: 'draft' } });

    await deliver(pullRequest('ready_for_review', ['apps/a.yaml']));

    expect(messagesOf(number)).toHaveLength(1);
  });

  it('skips a PR with an excluded label', async () => {
    const response = await deliver(pullRequest('opened', ['apps/a.yaml'], { labels: ['skip-diff'] }));
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ notice: { outcome: 'skipped', reason: 'excluded-label' } });
    expect(messagesOf(number)).toHaveLength(0);
  });

  it('brings a PR into scope when the required label is added', async () => {
    const options = { repository: 'acme/labelled' };
    const opened = await deliver(pullRequest('opened', ['apps/a.yaml'], options));
    expect(JSON.parse(opened.body ?? '{}')).toMatchObject({ notice: { reason: 'missing-label' } });

    await deliver(pullRequest('labeled', ['apps/a.yaml'], { ...options, labels: ['gitops'], label: 'gitops' }));

    expect(messagesOf(number)).toHaveLength(1);
  });

  it('notifies about a fork PR without diff buttons under forks: notify-only', async () => {
    await deliver(pullRequest('opened', ['apps/a.yaml'], { forkOwner: 'contributor' }));

    const [message] = messagesOf(number);
    expect(buttonsOf(message ?? {}).filter((b) => b.startsWith('Flux diff'))).toHaveLength(0);
    expect(JSON.stringify(message?.blocks)).toContain('notify-only');
  });

  it('keeps diff buttons on a fork PR under forks: diff-by-admin and says who may use them', async () => {
    await deliver(pullRequest('opened', ['apps/a.yaml'], { forkOwner: 'contributor', repository: 'acme/forks' }));

    const [message] = messagesOf(number);
    expect(buttonsOf(message ?? {}).filter((b) => b.startsWith('Flux diff'))).toHaveLength(1);
    expect(JSON.stringify(message?.blocks)).toContain('admins');
  });

  it('ignores repositories that are not configured', async () => {
    const response = await deliver(pullRequest('opened', ['apps/a.yaml'], { repository: 'someone/else' }));
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ notice: { outcome: 'skipped', reason: 'repository-not-configured' } });
  });

  it('acknowledges events it does not handle with 202', async () => {
    const response = await deliver({ action: 'created', issue: {} }, { eventName: 'issue_comment' });
    expect(response.statusCode).toBe(202);
  });

  it('rejects a bad signature with 401 and stores nothing', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const event = githubDeliveryEvent('pull_request', payload, { secret: 'not-the-secret' });

    const response = await handleGithubWebhook(event, env);

    expect(response.statusCode).toBe(401);
    expect(await store.getNotice('acme/fleet', number)).toBeUndefined();
    expect(messagesOf(number)).toHaveLength(0);
  });

  it('rejects a missing signature with 401', async () => {
    const event = githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET, signature: null });
    expect((await handleGithubWebhook(event, env)).statusCode).toBe(401);
  });

  it('fails closed when no webhook secret is configured', async () => {
    const { GITHUB_WEBHOOK_SECRET: _, ...withoutSecret } = env;
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET }), withoutSecret);
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(SECRET);
    expect(messagesOf(number)).toHaveLength(0);
  });

  it('tells the operator which variable is missing when the GitHub App is not configured', async () => {
    const { GITHUB_APP_ID: _, ...withoutAppId } = env;
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET }), withoutAppId);
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'GITHUB_APP_ID is not set: set it to the App ID shown on the GitHub App settings page' });
    expect(response.body).not.toContain('PRIVATE KEY');
  });

  it('answers 400 with a one-line reason to a body that is not JSON', async () => {
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', null, { secret: SECRET, rawBody: '{"action": "opened",' }), env);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ error: 'body is not valid JSON' });
  });

  it('answers 400 to JSON that is not a pull_request payload', async () => {
    const response = await deliver({ action: 'opened', pull_request: 'nope' });
    expect(response.statusCode).toBe(400);
    expect((JSON.parse(response.body ?? '{}') as { error?: string }).error).toMatch(/^not a pull_request payload: /);
  });

  it('verifies a base64-encoded body on its decoded bytes', async () => {
    const event = githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET, base64: true });
    expect((await handleGithubWebhook(event, env)).statusCode).toBe(200);
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('retries GitHub 5xx on the files API and still posts', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, [{ status: 502 }, { status: 503 }]);

    const response = await deliver(payload);

    expect(response.statusCode).toBe(200);
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('waits out a Slack 429 with Retry-After and posts exactly once', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    slack.failNext('chat.postMessage', [{ status: 429, headers: { 'Retry-After': '0' } }]);

    const response = await deliver(payload);

    expect(response.statusCode).toBe(200);
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('loses nothing when Slack is down: the delivery fails and its redelivery posts once', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const deliveryId = randomUUID();
    slack.failNext('chat.postMessage', Array.from({ length: 10 }, () => ({ status: 503 })));

    const failed = await deliver(payload, { deliveryId });
    expect(failed.statusCode).toBeGreaterThanOrEqual(500);
    expect(messagesOf(number)).toHaveLength(0);

    slack.failNext('chat.postMessage', []);
    const redelivered = await deliver(payload, { deliveryId });
    expect(redelivered.statusCode).toBe(200);
    expect(messagesOf(number)).toHaveLength(1);
  });
});
