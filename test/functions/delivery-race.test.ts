import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { idleQueues, inProcessQueueOf } from '../../functions/compose/runtime';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { logger } from '../../lib/core/log';
import { githubDeliveryEvent, pullRequestPayload } from '../helpers/github-payloads';
import { APP_ID, useWebhookWorld, WEBHOOK_SECRET } from '../helpers/webhook-world';

// Issue #17: 500 racing deliveries for 100 PRs (distinct delivery ids) were answered 500 (`NoticeInProgress`)
// 25–100 times. Now that the ingress queues, the loser of a conditional write must end in a normal outcome
// in the consumer: not an error that is retried (or dead-lettered) until the winner is done.
describe('500 racing deliveries for 100 PRs', () => {
  const world = useWebhookWorld(() => ({ FLUXLINE_QUEUE_TIME_SCALE: '0.001' }));
  afterEach(() => vi.restoreAllMocks());

  it('answers every delivery 202, posts one notice per PR, and no consumer fails a delivery', async () => {
    // Prepare: 100 PRs, five distinct deliveries each (GitHub sends opened, labeled, edited… at once)
    const { env, github, slack, store } = world();
    const warnings = vi.spyOn(logger, 'warn');
    const numbers = Array.from({ length: 100 }, (_, i) => 5_000 + i);
    const deliveries = numbers.flatMap((number) => {
      const opened = pullRequestPayload('opened', { number });
      github.addPullRequest({ payload: opened.pull_request as Record<string, unknown>, repository: 'acme/fleet', files: ['apps/podinfo/release.yaml'] });
      return ['opened', 'reopened', 'synchronize', 'ready_for_review', 'opened'].map((action) => ({ id: randomUUID(), payload: action === 'opened' ? opened : pullRequestPayload(action, { number }) }));
    });

    // Act: all at once
    const responses = await Promise.all(deliveries.map(({ id, payload }) => handleGithubWebhook(githubDeliveryEvent('pull_request', payload, { secret: WEBHOOK_SECRET, deliveryId: id }), env)));
    await idleQueues(env);

    // Assess
    expect(responses.filter((r) => r.statusCode !== 202)).toEqual([]);
    for (const number of numbers) expect(slack.messages.filter((m) => !m.threadTs && new RegExp(`acme/fleet#${number}\\b`).test(m.text))).toHaveLength(1);
    expect(inProcessQueueOf(env, 'githubDeliveries').deadLetters).toHaveLength(0);
    const failed = warnings.mock.calls.filter(([message]) => typeof message === 'string' && message.startsWith('message failed'));
    expect(failed.map(([, context]) => String((context as { error?: Error }).error?.name))).toEqual([]);
    const records = await Promise.all(deliveries.map(({ id }) => store.getDelivery(APP_ID, id)));
    expect(records.filter((r) => r?.status !== 'done')).toEqual([]);
  }, 120_000);
});
