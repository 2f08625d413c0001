import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import type { Store } from '../../lib/adapters/store';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { pullRequestPayload, type PullRequestPayloadOptions } from './github-payloads';
import { freshStore } from './store';

export const WEBHOOK_SECRET = 'webhook-secret-for-tests';
export const APP_ID = '1234';
const SLACK_TOKEN = 'xoxb-test-token';
const INSTALLATION = 4242;

/** Repositories for the PR notice rules: paths, labels, drafts, forks. */
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

export interface WebhookWorld {
  github: FakeGithub;
  slack: FakeSlack;
  store: Store;
  env: Record<string, string>;
  /** A fresh PR number per test. */
  number: number;
  /** Registers the PR's changed files with the GitHub fake and returns its webhook payload. */
  pullRequest(action: string, files: string[], options?: PullRequestPayloadOptions): Record<string, unknown>;
  /** The PR notices (top-level Slack messages) of PR `n`. */
  messagesOf(n: number): FakeSlack['messages'];
}

/**
 * The GitHub and Slack fakes, a table and a config of notice rules for the enclosing `describe`, with a new
 * PR number before each test; `extraEnv` adds to the environment (queues, time scale). Read it inside tests.
 */
export function useWebhookWorld(extraEnv: () => Record<string, string> | Promise<Record<string, string>> = () => ({})): () => WebhookWorld {
  let world: WebhookWorld | undefined;
  let nextNumber = 100;
  beforeAll(async () => {
    const keys = generateAppKeyPair();
    const github = await startFakeGithub({ appId: APP_ID, publicKey: keys.publicKey });
    for (const repo of ['acme/fleet', 'acme/labelled', 'acme/forks']) github.installations.set(repo, INSTALLATION);
    const slack = await startFakeSlack({ token: SLACK_TOKEN });
    const dir = mkdtempSync(join(tmpdir(), 'fluxline-webhook-'));
    writeFileSync(join(dir, 'config.yaml'), config);
    const store = await freshStore();
    const env = {
      FLUXLINE_CONFIG: join(dir, 'config.yaml'),
      TABLE_NAME: store.table.tableName,
      DYNAMODB_ENDPOINT: inject('dynamoDbEndpoint'),
      GITHUB_APP_ID: APP_ID,
      GITHUB_PRIVATE_KEY: keys.privateKey,
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      GITHUB_API_URL: github.url,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.url,
      ...(await extraEnv()),
    };
    const self: WebhookWorld = {
      github,
      slack,
      store,
      env,
      number: 0,
      pullRequest(action, files, options = {}) {
        const payload = pullRequestPayload(action, { number: self.number, ...options });
        github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository: options.repository ?? 'acme/fleet', files });
        return payload;
      },
      messagesOf: (n) => slack.messages.filter((m) => !m.threadTs && m.text.includes(`#${n}`)),
    };
    world = self;
  });
  beforeEach(() => {
    if (world) world.number = nextNumber++;
  });
  afterAll(async () => {
    await world?.github.stop();
    await world?.slack.stop();
  });
  return () => {
    if (!world) throw new Error('the webhook world starts in beforeAll: read it inside a test');
    return world;
  };
}
