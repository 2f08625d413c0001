// The world every phase runs in: DynamoDB Local and the HTTP fakes (GitHub, Slack, SQS, Kubernetes) in
// this process, the config.yaml the functions read, the environments of Fluxline and of the peers.
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDynamoDbLocal } from '../../scripts/dynamodb-local.mjs';
import { createStore, ensureTable } from '../../lib/adapters/store';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../../test/fakes/github';
import { startFakeKubernetes } from '../../test/fakes/kubernetes';
import { startFakeSlack, type FakeSlack } from '../../test/fakes/slack';
import { startFakeSqs, type FakeSqs } from '../../test/fakes/sqs';
import { pullRequestPayload } from '../../test/helpers/github-payloads';
import { noticeTs } from './requests.mjs';
import { APP_ID, FILES, INSTALLATION, REPOSITORY, SECRETS, log } from './settings';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Target {
  name: 'github-webhook' | 'probot' | 'slack' | 'bolt';
  bundle: string;
  spec: string;
  env: Record<string, string>;
}

export interface World {
  work: string;
  dynamoDbEndpoint: string;
  github: FakeGithub;
  slack: FakeSlack;
  sqs: FakeSqs;
  keys: { privateKey: string; publicKey: string };
  /** The config.yaml the functions read. */
  config: string;
  oursEnv: Record<string, string>;
  targets: Target[];
  clickTemplate: Record<string, unknown>;
  /** Registers PRs from..from+count-1 with the fake GitHub, and each one's notice in the fake Slack. */
  registerPullRequests(from: number, count: number): void;
  /** The next PR number no phase has used. */
  nextNumber: number;
  stop(): Promise<void>;
}

export async function startWorld(work: string, bundleFile: (name: string) => string): Promise<World> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => log(`while stopping: ${(err as Error).message}`));
  };
  try {
    const dynamo = await startDynamoDbLocal({ log });
    stops.push(() => dynamo.stop());
    const keys = generateAppKeyPair();
    const github = await startFakeGithub({ appId: APP_ID, publicKey: keys.publicKey });
    github.installations.set(REPOSITORY, INSTALLATION);
    stops.push(() => github.stop());
    const slack = await startFakeSlack({ token: SECRETS.slackToken });
    stops.push(() => slack.stop());
    // The functions and peers sign with AWS_ACCESS_KEY_ID=bench / AWS_SECRET_ACCESS_KEY=bench; the fake checks it.
    const sqs = await startFakeSqs({ keys: [{ accessKeyId: 'bench', secretAccessKey: 'bench' }] });
    stops.push(() => sqs.stop());
    const kube = await startFakeKubernetes({ token: SECRETS.kubeToken });
    stops.push(() => kube.stop());
    kube.put({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://github.com/acme/fleet.git', interval: '1m', ref: { branch: 'main' } } });
    // apps is applied by flux-system, as in a bootstrapped cluster (its owner labels): where its declaration sits is known.
    kube.put({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'flux-system', namespace: 'flux-system' },
      spec: { interval: '10m', path: './clusters', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    });
    kube.put({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system', labels: { 'kustomize.toolkit.fluxcd.io/name': 'flux-system', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } },
      spec: { interval: '10m', path: './clusters/stage', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    });
    const kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, kube.kubeconfigYaml(), { mode: 0o600 });
    const config = join(work, 'config.yaml');
    writeFileSync(
      config,
      `slack:\n  channel: C0FLUX\n  admins: [U0ADMIN]\nclusters:\n  stage: { kubeconfig: { file: ${kubeconfig} } }\nrepositories:\n  - name: ${REPOSITORY}\n    pullRequests:\n      paths: { include: ['^clusters/.*', '^apps/.*'] }\n    diffs:\n      - { kustomization: flux-system/apps, cluster: stage }\n`,
    );

    const aws = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SQS: sqs.url };
    const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...aws };
    // The AWS SDK clients the diff phase's set-up makes in this process read these from process.env.
    Object.assign(process.env, aws);
    const oursEnv: Record<string, string> = {
      ...baseEnv,
      FLUXLINE_CONFIG: config,
      TABLE_NAME: 'fluxline-bench',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      GITHUB_APP_ID: APP_ID,
      GITHUB_PRIVATE_KEY: keys.privateKey,
      GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
      GITHUB_API_URL: github.url,
      SLACK_BOT_TOKEN: SECRETS.slackToken,
      SLACK_SIGNING_SECRET: SECRETS.signing,
      SLACK_API_URL: slack.url,
      // The AWS bundles as deployed: every queue is SQS (the fake; it takes any queue URL, FIFO too).
      GITHUB_DELIVERIES_QUEUE_URL: sqs.queueUrl,
      SLACK_REQUESTS_QUEUE_URL: sqs.queueUrl,
      JOBS_QUEUE_URL: sqs.queueUrl,
      POWERTOOLS_SERVICE_NAME: 'fluxline',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
    // Probot (universal-github-app-jwt) takes PKCS#8 keys only; GitHub hands out PKCS#1, as does the fake.
    const pkcs8 = createPrivateKey(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }).toString();
    const probotEnv = { ...baseEnv, APP_ID, PRIVATE_KEY: pkcs8, WEBHOOK_SECRET: SECRETS.webhook, GITHUB_API_URL: github.url, SLACK_BOT_TOKEN: SECRETS.slackToken, SLACK_API_URL: slack.url, SLACK_CHANNEL: 'C0FLUX' };
    const boltEnv = { ...baseEnv, SLACK_SIGNING_SECRET: SECRETS.signing, SLACK_BOT_TOKEN: SECRETS.slackToken, SLACK_API_URL: slack.url, JOBS_QUEUE_URL: sqs.queueUrl };

    // Request templates: GitHub's own example payload, the sample click of events/
    const githubSpec = join(work, 'github.json');
    const slackSpec = join(work, 'slack.json');
    const clickSample = JSON.parse(readFileSync(join(root, 'events', 'slack-flux-diff-click.json'), 'utf8')) as { body: string };
    const clickTemplate = JSON.parse(new URLSearchParams(clickSample.body).get('payload') ?? '{}') as Record<string, unknown>;
    writeFileSync(githubSpec, JSON.stringify({ kind: 'github', secret: SECRETS.webhook, template: pullRequestPayload('opened', { repository: REPOSITORY, installationId: INSTALLATION }), dynamoDbEndpoint: dynamo.endpoint }));
    writeFileSync(slackSpec, JSON.stringify({ kind: 'slack', secret: SECRETS.signing, template: clickTemplate, dynamoDbEndpoint: dynamo.endpoint }));
    // The table, as npm start makes it: the handlers never create it (serverless.yml does in AWS).
    await ensureTable(createStore({ tableName: oursEnv.TABLE_NAME ?? '', endpoint: dynamo.endpoint }).table);

    return {
      work,
      dynamoDbEndpoint: dynamo.endpoint,
      github,
      slack,
      sqs,
      keys,
      config,
      oursEnv,
      clickTemplate,
      targets: [
        { name: 'github-webhook', bundle: bundleFile('github-webhook'), spec: githubSpec, env: oursEnv },
        { name: 'probot', bundle: bundleFile('probot'), spec: githubSpec, env: probotEnv },
        { name: 'slack', bundle: bundleFile('slack'), spec: slackSpec, env: oursEnv },
        { name: 'bolt', bundle: bundleFile('bolt'), spec: slackSpec, env: boltEnv },
      ],
      registerPullRequests(from, count) {
        for (let n = from; n < from + count; n++) {
          github.addPullRequest({ payload: { number: n, head: { sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' } }, repository: REPOSITORY, files: FILES });
          // The notice a click is made on (the click's thread parent), as if an earlier delivery had posted it.
          slack.addMessage({ channel: 'C0FLUX', text: `notice of ${REPOSITORY} PR ${n}`, ts: noticeTs(n) });
        }
      },
      nextNumber: 100,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * The work a request started is visible: a Slack call (today's synchronous webhook, the click's reply)
 * or a message on the queue (the webhook that makes a delivery durable and answers 202).
 */
export function checkWorkDone(world: World, label: string, before: { slack: number; sqs: number }, expected: number): void {
  const done = world.slack.requests.length - before.slack + (world.sqs.sent.length - before.sqs);
  if (done < expected) throw new Error(`${label}: expected at least ${expected} Slack calls or queued messages, saw ${done}`);
}

export const workMark = (world: World) => ({ slack: world.slack.requests.length, sqs: world.sqs.sent.length });

/**
 * Reserves the PRs of a burst of `total` deliveries: 90 % distinct PRs (registered with the fakes), the rest
 * redeliveries of them, as GitHub and the sweep would send them.
 */
export function reserveBurst(world: World, total: number): { first: number; unique: number; redeliveries: number; numbers: number[] } {
  const unique = Math.round(total * 0.9);
  const first = world.nextNumber;
  world.nextNumber += unique;
  world.registerPullRequests(first, unique);
  return { first, unique, redeliveries: total - unique, numbers: Array.from({ length: unique }, (_, i) => first + i) };
}
