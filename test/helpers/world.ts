import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { handleSlackRequest } from '../../functions/slack';
import { idleQueues, queuesFor, runtimeFor } from '../../functions/compose/runtime';
import type { Runtime } from '../../functions/compose/create-runtime';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { pullRequestTarball } from '../fakes/tarball';
import { githubDeliveryEvent, pullRequestPayload, type PullRequestPayloadOptions } from './github-payloads';
import { freshStore } from './store';
import { blockActionsBody, signedSlackEvent, slashCommandBody, type ButtonClick, type SlashCommandOptions } from './slack-requests';

// Moved to test/fakes/tarball.ts (npm start's GitHub stand-in uses it too); still exported here for the tests.

export const SECRETS = {
  webhook: 'webhook-secret-for-tests',
  signing: 'slack-signing-secret-for-tests',
  slackToken: 'xoxb-test-token',
  /** The app-level token Socket Mode connects with (test/scripts/slack-socket-mode.test.ts). */
  slackAppToken: 'xapp-1-A0FLUXAPP-1-test',
  kubeToken: 'kube-token-for-tests',
};
export const APP_ID = '1234';
export const INSTALLATION = 4242;
export const STAND_IN_FLUX = resolve(import.meta.dirname, '../fakes/flux/flux');

const configYaml = (kubeconfig: string, unreachable: string) => `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  approvers: [U0ADMIN, U0APPROVER]
  channels:
    C0STAGE: { clusters: [stage] }
clusters:
  # spec.kubeConfig Secrets of stage's Kustomizations, and the clusters they reach (test/diffs/trusted-diff.test.ts).
  stage: { kubeconfig: { file: ${kubeconfig} }, remoteClusters: { flux-system/prod-kubeconfig: prod, flux-system/down-kubeconfig: down } }
  prod: { kubeconfig: { file: ${kubeconfig} } }
  down: { kubeconfig: { file: ${unreachable} } }
  broken: { kubeconfig: { file: /nonexistent/kubeconfig } }
repositories:
  - name: acme/fleet
    pullRequests:
      paths: { include: ['^clusters/.*', '^apps/.*'] }
    diffs:
      - { kustomization: flux-system/apps, cluster: stage }
      - { kustomization: flux-system/apps, cluster: down }
      - { kustomization: flux-system/apps, cluster: broken }
      - { kustomization: flux-system/missing, cluster: stage }
      - { kustomization: flux-system/elsewhere, cluster: stage }
      - { kustomization: flux-system/oci, cluster: stage }
  - name: acme/forks
    pullRequests: { forks: diff-by-admin }
    diffs: [{ kustomization: flux-system/forks, cluster: stage }]
  - name: acme/auto
    pullRequests: { autoDiff: true }
    diffs: [{ kustomization: flux-system/auto, cluster: stage }]
    # stage and prod are the same fake API server: found on both, its target would be diffed twice.
    discover: false
  # Targets found on the clusters (test/notices/discover-targets.test.ts puts its Kustomizations there).
  - name: acme/infra
    pullRequests: { autoDiff: true }
  - name: acme/infra-pinned
    diffs: [{ kustomization: flux-system/pinned-apps, cluster: stage }, { kustomization: flux-system/pinned-infra, cluster: stage }]
`;

export interface World {
  github: FakeGithub;
  slack: FakeSlack;
  kube: FakeKubernetes;
  env: Record<string, string>;
  runtime(): Promise<Runtime>;
  /** Opens a PR whose checkout makes the stand-in flux answer `scenario`; returns its notice. */
  openPullRequest(scenario: string, options?: OpenPullRequestOptions): Promise<{ number: number; headSha: string; /** '' when GitHub has no test merge. */ mergeSha: string; ts: string; buttons: { actionId: string; value: string; label: string }[] }>;
  click(click: ButtonClick, options?: { retryNum?: number }): ReturnType<typeof handleSlackRequest>;
  command(text: string, options?: SlashCommandOptions & { retryNum?: number }): ReturnType<typeof handleSlackRequest>;
  /** Waits until every job queued so far has run and reported. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export interface OpenPullRequestOptions extends PullRequestPayloadOptions {
  /** The PR's changed files (the files API). */
  files?: string[];
  /** The checkout of GitHub's test merge answers this scenario (the head's by default). */
  mergeScenario?: string;
  /** How many commits the head is behind its base branch (the compare API). */
  behindBy?: number;
  /** The base branch's tip (the compare API's base_commit). */
  baseSha?: string;
  /** Where the checkouts hold the Kustomization's folder (null: nowhere), and other files by path. */
  path?: string | null;
  tree?: Record<string, string>;
  /** Files of the test merge's checkout that differ from the head's (`tree`). */
  mergeTree?: Record<string, string>;
}

let nextNumber = 1000;

/** A port nothing listens on: a cluster that does not answer. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startWorld(overrides: Record<string, string> = {}): Promise<World> {
  const keys = generateAppKeyPair();
  const github = await startFakeGithub({ appId: APP_ID, publicKey: keys.publicKey });
  for (const repo of ['acme/fleet', 'acme/forks', 'acme/auto', 'acme/infra', 'acme/infra-pinned']) github.installations.set(repo, INSTALLATION);
  const slack = await startFakeSlack({ token: SECRETS.slackToken, appToken: SECRETS.slackAppToken });
  const kube = await startFakeKubernetes({ token: SECRETS.kubeToken });

  const dir = mkdtempSync(join(tmpdir(), 'fluxline-world-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kube.kubeconfigYaml());
  const unreachable = join(dir, 'kubeconfig-down');
  // A loopback port that was free a moment ago: the connection is refused at once. (Not port 1: fetch
  // refuses the spec's "bad ports" before connecting, which is not what a down cluster looks like.)
  writeFileSync(unreachable, kube.kubeconfigYaml().replace(kube.url, `http://127.0.0.1:${await closedPort()}`));
  writeFileSync(join(dir, 'config.yaml'), configYaml(kubeconfig, unreachable));

  const source = (name: string, url: string) => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name, namespace: 'flux-system' }, spec: { url, interval: '1m', ref: { branch: 'main' } } });
  const kustomization = (name: string, sourceRef: Record<string, string>) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path: './clusters/stage', prune: true, sourceRef },
  });
  kube.put(source('flux-system', 'https://github.com/acme/fleet.git'));
  kube.put(source('forks', 'ssh://git@github.com/acme/forks'));
  kube.put(source('other', 'https://github.com/acme/platform'));
  kube.put(source('auto', 'https://github.com/acme/auto'));
  kube.put(kustomization('apps', { kind: 'GitRepository', name: 'flux-system' }));
  kube.put(kustomization('forks', { kind: 'GitRepository', name: 'forks' }));
  kube.put(kustomization('elsewhere', { kind: 'GitRepository', name: 'other' }));
  kube.put(kustomization('auto', { kind: 'GitRepository', name: 'auto' }));
  kube.put(kustomization('oci', { kind: 'OCIRepository', name: 'manifests' }));

  const env: Record<string, string> = {
    FLUXLINE_CONFIG: join(dir, 'config.yaml'),
    // Its own table, created here as npm start creates its own: handlers never create it.
    TABLE_NAME: (await freshStore()).table.tableName,
    DYNAMODB_ENDPOINT: inject('dynamoDbEndpoint'),
    GITHUB_APP_ID: APP_ID,
    GITHUB_PRIVATE_KEY: keys.privateKey,
    GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
    GITHUB_API_URL: github.url,
    SLACK_BOT_TOKEN: SECRETS.slackToken,
    SLACK_SIGNING_SECRET: SECRETS.signing,
    SLACK_API_URL: slack.url,
    FLUX_BIN: STAND_IN_FLUX,
    FLUX_TIMEOUT_SECONDS: '2',
    // Every repository of the tests is small: checked out file by file whenever the cluster says what a diff reads.
    FLUXLINE_SCOPED_CHECKOUT_MIN_MB: '0',
    // The in-process queues back off as SQS would, a thousand times faster.
    FLUXLINE_QUEUE_TIME_SCALE: '0.001',
    ...overrides,
  };
  const runtime = () => runtimeFor(env);

  return {
    github,
    slack,
    kube,
    env,
    runtime,
    async openPullRequest(scenario, options = {}) {
      const number = options.number ?? nextNumber++;
      const repository = options.repository ?? 'acme/fleet';
      const headSha = options.headSha ?? randomUUID().replace(/-/g, '').padEnd(40, '0').slice(0, 40);
      // GitHub's test merge of head into base (refs/pull/N/merge), clean unless the test says otherwise.
      const mergeSha = options.mergeCommitSha === null ? '' : (options.mergeCommitSha ?? randomUUID().replace(/-/g, '').padEnd(40, 'e').slice(0, 40));
      const payload = pullRequestPayload('opened', { baseRef: 'main', mergeable: true, ...options, mergeCommitSha: mergeSha || null, number, headSha, repository });
      github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository, files: options.files ?? ['clusters/stage/apps.yaml'] });
      const path = options.path === undefined ? 'clusters/stage' : options.path;
      github.setTarball(repository, headSha, await pullRequestTarball(repository, headSha, scenario, path, options.tree));
      if (mergeSha) github.setTarball(repository, mergeSha, await pullRequestTarball(repository, mergeSha, options.mergeScenario ?? scenario, path, { ...options.tree, ...options.mergeTree }));
      github.setCompare(repository, 'main', headSha, { behindBy: options.behindBy ?? 0, ...(options.baseSha ? { baseSha: options.baseSha } : {}) });
      const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', payload, { secret: SECRETS.webhook }), env);
      if (response.statusCode !== 202) throw new Error(`delivery not accepted: ${response.statusCode} ${response.body ?? ''}`);
      await queuesFor(env).githubDeliveries.idle();
      const notice = slack.messages.find((m) => !m.threadTs && m.text.includes(`${repository}#${number}`));
      if (!notice) throw new Error(`no Slack notice for ${repository}#${number}`);
      return { number, headSha, mergeSha, ts: notice.ts, buttons: buttonsOf(notice.blocks) };
    },
    async click(click, options = {}) {
      const response = await handleSlackRequest(signedSlackEvent('/slack/interactions', blockActionsBody(click), { secret: SECRETS.signing, ...(options.retryNum !== undefined ? { retryNum: options.retryNum } : {}) }), { env });
      // The click's consumer has posted its "queued" reply (or refusal) by the time this returns.
      await queuesFor(env).slackRequests.idle();
      return response;
    },
    async command(text, options = {}) {
      const triggerId = options.triggerId ?? `${Date.now()}.${nextNumber++}.${randomUUID().slice(0, 8)}`;
      const body = slashCommandBody(text, { responseUrl: slack.responseUrl(triggerId), ...options, triggerId });
      const response = await handleSlackRequest(signedSlackEvent('/slack/commands', body, { secret: SECRETS.signing, ...(options.retryNum !== undefined ? { retryNum: options.retryNum } : {}) }), { env });
      if (response.statusCode !== 200 || response.body) return response;
      // Queued: what the user sees comes from the consumer, through the response_url (or in the channel).
      await queuesFor(env).slackRequests.idle();
      const answer = slack.responses.filter((r) => r.id === triggerId).at(-1);
      return answer ? { ...response, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: answer.responseType, text: answer.text }) } : response;
    },
    async settle() {
      await idleQueues(env);
    },
    async stop() {
      await Promise.all([github.stop(), slack.stop(), kube.stop()]);
    },
  };
}

/** The buttons of a message, in order: action_id, value (or url) and label. */
export function buttonsOf(blocks: unknown[] | undefined): { actionId: string; value: string; label: string }[] {
  const buttons: { actionId: string; value: string; label: string }[] = [];
  for (const block of (blocks ?? []) as { type: string; elements?: { type: string; action_id?: string; value?: string; url?: string; text?: { text: string } }[] }[]) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements ?? []) {
      if (element.type === 'button') buttons.push({ actionId: element.action_id ?? '', value: element.value ?? element.url ?? '', label: element.text?.text ?? '' });
    }
  }
  return buttons;
}

/** A PR notice's "Flux diff" button for one target (the default repository's `flux-system/apps @ stage`). */
export function diffButton(notice: { buttons: { actionId: string; value: string; label: string }[] }, target = 'flux-system/apps @ stage'): { actionId: string; value: string; label: string } {
  const button = notice.buttons.find((b) => b.label === `Flux diff: ${target}`);
  if (!button) throw new Error(`no Flux diff button for ${target} (the notice has: ${notice.buttons.map((b) => b.label).join(", ")})`);
  return button;
}

/**
 * A world for the enclosing `describe`: started before its tests, stopped after them once every queued
 * job has settled. Read it through the getter, inside tests.
 */
export function useWorld(overrides: Record<string, string> = {}): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await startWorld(overrides);
  });
  afterAll(async () => {
    await world?.settle();
    await world?.stop();
  });
  return () => {
    if (!world) throw new Error('the world starts in beforeAll: read it inside a test');
    return world;
  };
}
