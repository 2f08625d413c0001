import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idleQueues, inProcessQueueOf } from '../../functions/compose/runtime';
import { handleFluxEvent } from '../../functions/flux-events';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { handleSlackRequest } from '../../functions/slack';
import { fakeAwsEnv } from '../fakes/aws-signature';
import { startBlackHole, type BlackHole } from '../fakes/black-hole';
import { FLUX_TOKEN, fluxFixture, signedFluxEvent } from '../helpers/flux-requests';
import { githubDeliveryEvent } from '../helpers/github-payloads';
import { signedSlackEvent, slashCommandBody } from '../helpers/slack-requests';
import { useWebhookWorld, WEBHOOK_SECRET } from '../helpers/webhook-world';
import { useWorld } from '../helpers/world';

// Issue #17 item 4: a DynamoDB that accepts connections and never answers. Handlers with a platform
// deadline answer a clear 503 before it; queue consumers fail the message so the queue retries it.
let hole: BlackHole;
beforeAll(async () => (hole = await startBlackHole()));
afterAll(async () => hole.stop());

const errorOf = (response: { body?: string }) => (JSON.parse(response.body ?? '{}') as { error?: string }).error ?? '';

describe('POST /flux/events/{cluster} with DynamoDB black-holed', () => {
  const world = useWorld({ FLUX_WEBHOOK_TOKEN: FLUX_TOKEN });

  it('answers 503 naming DynamoDB once the store gives up, so Flux retries', async () => {
    // Prepare: a runtime of its own (runtimes are per environment) whose table never answers.
    const env = { ...world().env, DYNAMODB_ENDPOINT: hole.url, DYNAMODB_REQUEST_TIMEOUT_MS: '50' };

    // Act
    const response = await handleFluxEvent(signedFluxEvent('prod', fluxFixture('helmrelease-upgrade-succeeded')), { env });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(errorOf(response)).toBe('DynamoDB did not answer in time; try again later');
    expect(response.body).not.toContain(FLUX_TOKEN);
  });

  it('answers 503 at its own deadline when the calls together would outlast it', async () => {
    // Prepare: the store's real timeouts (seconds), and a handler budget far shorter.
    const env = { ...world().env, DYNAMODB_ENDPOINT: hole.url };

    // Act
    const response = await handleFluxEvent(signedFluxEvent('prod', fluxFixture('helmrelease-upgrade-succeeded')), { env, deadlineMs: 100 });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(errorOf(response)).toMatch(/^a dependency \(no answer within 100 ms\) did not answer in time; try again later$/);
  });
});

describe('GitHub deliveries consumer with DynamoDB black-holed', () => {
  const world = useWebhookWorld(() => ({ FLUXLINE_QUEUE_TIME_SCALE: '0.001' }));

  it('fails the message, which the queue retries and finally dead-letters, instead of hanging', async () => {
    // Prepare: the ingress needs no table (it only queues); its consumer's table never answers.
    const env = { ...world().env, DYNAMODB_ENDPOINT: hole.url, DYNAMODB_REQUEST_TIMEOUT_MS: '50' };
    const deliveryId = randomUUID();

    // Act
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', world().pullRequest('opened', ['clusters/stage/apps.yaml']), { secret: WEBHOOK_SECRET, deliveryId }), env);
    await idleQueues(env);

    // Assess
    expect(response.statusCode).toBe(202);
    const [dead, ...more] = inProcessQueueOf(env, 'githubDeliveries').deadLetters;
    expect(more).toEqual([]);
    expect(dead?.receiveCount).toBeGreaterThan(1);
    expect(world().slack.messages).toEqual([]);
  });
});

describe('ingress with SQS black-holed', () => {
  const world = useWebhookWorld();
  const sqsEnv = () => ({ ...fakeAwsEnv({ sqs: hole.url }), GITHUB_DELIVERIES_QUEUE_URL: `${hole.url}/123456789012/deliveries.fifo`, SLACK_REQUESTS_QUEUE_URL: `${hole.url}/123456789012/slack` });

  it('POST /github/webhook answers 503 before GitHub gives up, and GitHub redelivers', async () => {
    // Prepare
    const env = { ...world().env, ...sqsEnv() };

    // Act
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', world().pullRequest('opened', ['clusters/stage/apps.yaml']), { secret: WEBHOOK_SECRET }), env, { deadlineMs: 100 });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(errorOf(response)).toMatch(/did not answer in time; try again later$/);
  });

  it('a Slack command that must be queued answers 503 with a one-line reason before Slack\'s 3 s', async () => {
    // Prepare
    const signing = 'slack-signing-secret-for-timeouts';
    const env = { ...world().env, ...sqsEnv(), SLACK_SIGNING_SECRET: signing };

    // Act
    const response = await handleSlackRequest(signedSlackEvent('/slack/commands', slashCommandBody('get kustomizations --cluster stage', { user: 'U0ADMIN' }), { secret: signing }), { env, deadlineMs: 100 });

    // Assess
    expect(response.statusCode).toBe(503);
    expect(errorOf(response)).toMatch(/did not answer in time; try again later$/);
    expect(response.body).not.toContain(signing);
  });
});
