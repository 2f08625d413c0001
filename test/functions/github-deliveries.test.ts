import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { idleQueues, inProcessQueueOf } from '../../functions/compose/runtime';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { githubDeliveryEvent, pullRequestPayload } from '../helpers/github-payloads';
import { APP_ID, useWebhookWorld, WEBHOOK_SECRET as SECRET } from '../helpers/webhook-world';

// DESIGN §3 flows 0 and 1: what the GitHub deliveries consumer makes of a delivery the ingress accepted.
describe('GitHub deliveries consumer', () => {
  // The in-process queue backs off as SQS would, a thousand times faster.
  const world = useWebhookWorld(() => ({ FLUXLINE_QUEUE_TIME_SCALE: '0.001' }));
  const pullRequest: ReturnType<typeof world>['pullRequest'] = (...args) => world().pullRequest(...args);
  // The world's parts under short names, for this test (the world gives each test its own PR number).
  let { env, store, slack, github, number } = {} as ReturnType<typeof world>;
  beforeEach(() => ({ env, store, slack, github, number } = world()));

  /** Sends the delivery through the ingress, waits for its consumer, and reads what it recorded. */
  async function deliver(payload: unknown, options: { deliveryId?: string; eventName?: string } = {}) {
    const deliveryId = options.deliveryId ?? randomUUID();
    const response = await handleGithubWebhook(githubDeliveryEvent(options.eventName ?? 'pull_request', payload, { secret: SECRET, ...options, deliveryId }), env);
    await idleQueues(env);
    return { response, delivery: await store.getDelivery(APP_ID, deliveryId) };
  }

  const messagesOf = (n: number) => world().messagesOf(n);
  const buttonsOf = (message: { blocks?: unknown[] }) =>
    JSON.stringify(message.blocks ?? [])
      .match(/"text":\{"type":"plain_text","text":"([^"]+)"/g)
      ?.map((t) => t.replace(/.*"text":"/, '').replace(/"$/, '')) ?? [];

  it('posts one Slack message with a Flux diff button per target and a View PR button', async () => {
    // Prepare
    const payload = pullRequest('opened', ['clusters/stage/apps.yaml', 'apps/podinfo/release.yaml', 'README.md']);

    // Act
    const { response, delivery } = await deliver(payload);

    // Assess
    expect(response.statusCode).toBe(202);
    expect(delivery).toEqual({ status: 'done', outcome: 'posted' });
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

  it('posts once when the same delivery arrives twice, even after SQS forgot its deduplication id', async () => {
    const payload = pullRequest('opened', ['clusters/prod/infra.yaml']);
    const deliveryId = randomUUID();

    await deliver(payload, { deliveryId });
    // A redelivery within SQS's 5-minute window is dropped by the queue; a later one reaches the consumer,
    // which finds the delivery's claim: send it straight to the queue to be that later one.
    const queue = inProcessQueueOf(env, 'githubDeliveries');
    await queue.send({ body: JSON.stringify({ v: 1, id: deliveryId, event: 'pull_request', payload }) });
    await idleQueues(env);

    expect(messagesOf(number)).toHaveLength(1);
    expect(await store.getDelivery(APP_ID, deliveryId)).toEqual({ status: 'done', outcome: 'posted' });
  });

  it('posts once when the same delivery arrives twice at once', async () => {
    const payload = pullRequest('opened', ['clusters/prod/infra.yaml']);
    const deliveryId = randomUUID();

    const responses = await Promise.all([deliver(payload, { deliveryId }), deliver(payload, { deliveryId })]);

    expect(responses.map((r) => r.response.statusCode)).toEqual([202, 202]);
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('answers a redelivery as a duplicate even when GitHub fails the reads it made meanwhile', async () => {
    // Prepare
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const deliveryId = randomUUID();
    await deliver(payload, { deliveryId });
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, [{ status: 404 }]);

    // Act
    const queue = inProcessQueueOf(env, 'githubDeliveries');
    await queue.send({ body: JSON.stringify({ v: 1, id: deliveryId, event: 'pull_request', payload }) });
    await idleQueues(env);

    // Assess
    expect(queue.deadLetters).toHaveLength(0);
    expect(messagesOf(number)).toHaveLength(1);
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, []);
  });

  it('retries a delivery whose PR files could not be read, and posts once', async () => {
    // Prepare
    const payload = pullRequest('opened', ['apps/a.yaml']);
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, [{ status: 404 }]);

    // Act
    const { response, delivery } = await deliver(payload);

    // Assess
    expect(response.statusCode).toBe(202);
    expect(delivery).toEqual({ status: 'done', outcome: 'posted' });
    expect(github.requests.filter((r) => r.path.includes(`/pulls/${number}/files`)).length).toBeGreaterThanOrEqual(2);
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('lists no files for an event that cannot change the message', async () => {
    // Prepare
    await deliver(pullRequest('opened', ['apps/a.yaml']));
    const filesListed = () => github.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/pulls/${number}/files`)).length;
    const before = filesListed();

    // Act
    const { delivery } = await deliver(pullRequest('assigned', ['apps/a.yaml']));

    // Assess
    expect(delivery?.outcome).toBe('skipped: action-not-watched');
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
    const { delivery } = await deliver(pullRequest('synchronize', ['apps/podinfo/release.yaml', 'apps/podinfo/hpa.yaml'], { headSha: 'b'.repeat(40) }));

    // Assess
    expect(delivery?.outcome).toBe('updated');
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

  it('keeps the newer head when an older delivery of the same PR arrives after it (crossed deliveries, a late redelivery)', async () => {
    // Prepare: the push at 10:05 is delivered first, the opening at 10:00 after it.
    const pushed = pullRequest('synchronize', ['apps/podinfo/release.yaml'], { headSha: 'b'.repeat(40), updatedAt: '2026-12-07T10:05:00Z' });
    const opened = pullRequest('opened', ['apps/podinfo/release.yaml'], { headSha: 'a'.repeat(40), updatedAt: '2026-12-07T10:00:00Z' });

    // Act
    await deliver(pushed);
    const late = await deliver(opened);

    // Assess
    expect(late.delivery?.outcome).toBe('skipped: stale-event');
    expect(messagesOf(number)).toHaveLength(1);
    expect(JSON.stringify(messagesOf(number)[0]?.blocks)).toContain('bbbbbbb');
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
    const { delivery } = await deliver(pullRequest('opened', ['docs/index.md', 'apps/podinfo/README.md', 'src/main.go']));

    expect(delivery).toEqual({ status: 'done', outcome: 'skipped: no-watched-paths' });
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
    expect(draft.delivery?.outcome).toBe('skipped: draft');

    await deliver(pullRequest('ready_for_review', ['apps/a.yaml']));

    expect(messagesOf(number)).toHaveLength(1);
  });

  it('skips a PR with an excluded label', async () => {
    const { delivery } = await deliver(pullRequest('opened', ['apps/a.yaml'], { labels: ['skip-diff'] }));
    expect(delivery?.outcome).toBe('skipped: excluded-label');
    expect(messagesOf(number)).toHaveLength(0);
  });

  it('brings a PR into scope when the required label is added', async () => {
    const options = { repository: 'acme/labelled' };
    const opened = await deliver(pullRequest('opened', ['apps/a.yaml'], options));
    expect(opened.delivery?.outcome).toBe('skipped: missing-label');

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
    const { delivery } = await deliver(pullRequest('opened', ['apps/a.yaml'], { repository: 'someone/else' }));
    expect(delivery?.outcome).toBe('skipped: repository-not-configured');
  });

  it('dead-letters a delivery it cannot process (no GitHub App configured), keeping it for redrive', async () => {
    // Prepare: an environment of its own, so its runtime is built without GITHUB_APP_ID.
    const { GITHUB_APP_ID: _, ...withoutAppId } = env;
    const deliveryId = randomUUID();

    // Act
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', pullRequest('opened', ['apps/a.yaml']), { secret: SECRET, deliveryId }), withoutAppId);
    await idleQueues(withoutAppId);

    // Assess
    expect(response.statusCode).toBe(202);
    const [dead, ...more] = inProcessQueueOf(withoutAppId, 'githubDeliveries').deadLetters;
    expect(more).toHaveLength(0);
    expect(dead?.receiveCount).toBe(8);
    expect(JSON.parse(dead?.body ?? '{}')).toMatchObject({ id: deliveryId, event: 'pull_request' });
    expect(messagesOf(number)).toHaveLength(0);
    // Its claim was released: once the App is configured, a redrive posts it.
    expect(await store.getDelivery('local', deliveryId)).toBeUndefined();
  });

  it('retries GitHub 5xx on the files API and still posts', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    github.failNext({ method: 'GET', path: new RegExp(`/pulls/${number}/files`) }, [{ status: 502 }, { status: 503 }]);

    const { delivery } = await deliver(payload);

    expect(delivery?.outcome).toBe('posted');
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('waits out a Slack 429 with Retry-After and posts exactly once', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    slack.failNext('chat.postMessage', [{ status: 429, headers: { 'Retry-After': '0' } }]);

    const { delivery } = await deliver(payload);

    expect(delivery?.outcome).toBe('posted');
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('honours a Retry-After longer than a request may wait by delivering the message again later', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    // Longer than the 3 s Slack calls wait inside a request: the consumer fails and the queue waits instead.
    slack.failNext('chat.postMessage', [{ status: 429, headers: { 'Retry-After': '30' } }]);

    const { response, delivery } = await deliver(payload);

    expect(response.statusCode).toBe(202);
    expect(delivery?.outcome).toBe('posted');
    expect(messagesOf(number)).toHaveLength(1);
  });

  it('loses nothing when Slack is down: the queue delivers again until Slack is back, and it posts once', async () => {
    const payload = pullRequest('opened', ['apps/a.yaml']);
    const postsBefore = slack.requests.filter((r) => r.method === 'chat.postMessage').length;
    // Three deliveries' worth of failures (each makes three attempts), fewer than the eight SQS allows.
    slack.failNext('chat.postMessage', Array.from({ length: 9 }, () => ({ status: 503 })));

    const { response, delivery } = await deliver(payload);

    expect(response.statusCode).toBe(202);
    expect(delivery).toEqual({ status: 'done', outcome: 'posted' });
    expect(messagesOf(number)).toHaveLength(1);
    expect(slack.requests.filter((r) => r.method === 'chat.postMessage').length - postsBefore).toBe(10);
  });
});
