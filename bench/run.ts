// npm run bench: Fluxline side by side with Probot and Bolt, measured in one run on this machine
// (bench/README.md explains each figure). Prints one table and writes bench/results.json.
//
// Knobs (defaults meet issue #7): BENCH_COLD_RUNS=20 BENCH_WARM_REQUESTS=2000 BENCH_BURST=1000
// BENCH_DIFF_RUNS=3 BENCH_DIFF_SIZES_MB=5,50 BENCH_SKIP=burst,diff (phases to leave out)
// BENCH_CPU_PROF=<dir> (V8 CPU profiles of the cold-start and warm-latency processes).
import { spawn, execFileSync } from 'node:child_process';
import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { freePort, startDynamoDbLocal } from '../scripts/dynamodb-local.mjs';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../test/fakes/github';
import { startFakeKubernetes } from '../test/fakes/kubernetes';
import { startFakeSlack, type FakeSlack } from '../test/fakes/slack';
import { startFakeSqs } from '../test/fakes/sqs';
import { createStore, ensureTable } from '../lib/store';
import { pullRequestPayload } from '../test/helpers/github-payloads';
import { githubDelivery, githubEvent, noticeTs, slackClickEvent } from './lib/requests.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchStarted = performance.now();
const knob = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const COLD_RUNS = knob('BENCH_COLD_RUNS', 20);
const WARM_REQUESTS = knob('BENCH_WARM_REQUESTS', 2000);
const WARMUP = Math.min(100, Math.max(10, Math.round(WARM_REQUESTS / 20)));
const BURST = knob('BENCH_BURST', 1000);
const DIFF_RUNS = knob('BENCH_DIFF_RUNS', 3);
const DIFF_SIZES_MB = (process.env.BENCH_DIFF_SIZES_MB ?? '5,50').split(',').map(Number);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));

const log = (line: string) => console.error(`[bench] ${line}`);
const SECRETS = { webhook: 'bench-webhook-secret', signing: 'bench-signing-secret', slackToken: 'xoxb-bench-token', kubeToken: 'bench-kube-token' };
const APP_ID = '4711';
const INSTALLATION = 4242;
const REPOSITORY = 'acme/fleet';
const FILES = ['clusters/stage/podinfo.yaml', 'apps/podinfo/release.yaml', 'README.md'];
const STAND_IN_FLUX = join(root, 'test', 'fakes', 'flux', 'flux');

// ---------------------------------------------------------------------------------------------- stats

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least q of the sample at or below it.
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
const median = (values: number[]) => quantile(values, 0.5);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------- child processes

interface ChildResult {
  code: number | null;
  stderr: string;
  wallMs: number;
}

function runChild(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, wallMs: performance.now() - started });
    });
  });
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

// ---------------------------------------------------------------------------------------------- main

async function main() {
  // The diff phase drives the handlers' sources in this process to set up each job: keep their logs
  // (lib/log reads LOG_LEVEL at import) out of the table. The functions under test log at INFO as deployed.
  const benchLogLevel = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'SILENT';
  const { handleGithubWebhook } = await import('../functions/github-webhook');
  const { handleSlackRequest } = await import('../functions/slack');
  const work = mkdtempSync(join(tmpdir(), 'fluxline-bench-'));
  const stops: (() => Promise<void>)[] = [];
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}/${process.arch}` },
    settings: { coldRuns: COLD_RUNS, warmRequests: WARM_REQUESTS, warmup: WARMUP, burst: BURST, diffRuns: DIFF_RUNS, diffSizesMB: DIFF_SIZES_MB },
  };
  try {
    // 1. Bundle sizes ---------------------------------------------------------------------------
    log('building the bundles (scripts/bundle.mjs) and the peers (bench/peers/build.mjs)');
    const ours = JSON.parse(execFileSync(process.execPath, ['scripts/bundle.mjs', '--json'], { cwd: root, encoding: 'utf8' })) as { function: string; file: string; bytes: number }[];
    const peers = JSON.parse(execFileSync(process.execPath, ['bench/peers/build.mjs'], { cwd: root, encoding: 'utf8' })) as { function: string; file: string; bytes: number }[];
    const bundle = (name: string) => {
      const found = [...ours, ...peers].find((b) => b.function === name);
      if (!found) throw new Error(`no bundle ${name}`);
      return { ...found, file: join(root, found.file.startsWith('/') ? found.file.slice(root.length + 1) : found.file) };
    };
    results.bundles = Object.fromEntries([...ours, ...peers].map((b) => [b.function, { kb: round(b.bytes / 1024) }]));

    // The world: DynamoDB Local and the HTTP fakes, in this process ------------------------------
    const dynamo = await startDynamoDbLocal({ log });
    stops.push(() => dynamo.stop());
    const keys = generateAppKeyPair();
    const github = await startFakeGithub({ appId: APP_ID, publicKey: keys.publicKey });
    github.installations.set(REPOSITORY, INSTALLATION);
    stops.push(() => github.stop());
    const slack = await startFakeSlack({ token: SECRETS.slackToken });
    stops.push(() => slack.stop());
    // The functions and peers below sign with AWS_ACCESS_KEY_ID=bench / AWS_SECRET_ACCESS_KEY=bench; the fake checks it.
    const sqs = await startFakeSqs({ keys: [{ accessKeyId: 'bench', secretAccessKey: 'bench' }] });
    stops.push(() => sqs.stop());
    const kube = await startFakeKubernetes({ token: SECRETS.kubeToken });
    stops.push(() => kube.stop());
    kube.put({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { url: 'https://github.com/acme/fleet.git', interval: '1m', ref: { branch: 'main' } } });
    kube.put({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { interval: '10m', path: './clusters/stage', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } },
    });
    const kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, kube.kubeconfigYaml(), { mode: 0o600 });
    const config = join(work, 'config.yaml');
    writeFileSync(
      config,
      `slack:\n  channel: C0FLUX\n  admins: [U0ADMIN]\nclusters:\n  stage: { kubeconfig: { file: ${kubeconfig} } }\nrepositories:\n  - name: ${REPOSITORY}\n    pullRequests:\n      paths: { include: ['^clusters/.*', '^apps/.*'] }\n    diffs:\n      - { kustomization: flux-system/apps, cluster: stage }\n`,
    );
    const registerPullRequests = (from: number, count: number) => {
      for (let n = from; n < from + count; n++) {
        github.addPullRequest({ payload: { number: n, head: { sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821' } }, repository: REPOSITORY, files: FILES });
        // The notice a click is made on (the click's thread parent), as if an earlier delivery had posted it.
        slack.addMessage({ channel: 'C0FLUX', text: `notice of ${REPOSITORY} PR ${n}`, ts: noticeTs(n) });
      }
    };

    const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SQS: sqs.url };
    // The AWS SDK clients the diff phase's set-up makes in this process read these from process.env.
    const awsEnv = { AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_SQS: sqs.url };
    Object.assign(process.env, awsEnv);
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

    const targets = [
      { name: 'github-webhook', side: 'fluxline', bundle: bundle('github-webhook').file, spec: githubSpec, env: oursEnv, peerOf: undefined },
      { name: 'probot', side: 'peer', bundle: bundle('probot').file, spec: githubSpec, env: probotEnv, peerOf: 'github-webhook' },
      { name: 'slack', side: 'fluxline', bundle: bundle('slack').file, spec: slackSpec, env: oursEnv, peerOf: undefined },
      { name: 'bolt', side: 'peer', bundle: bundle('bolt').file, spec: slackSpec, env: boltEnv, peerOf: 'slack' },
    ] as const;
    const checkSlackPosts = (label: string, before: number, expected: number) => {
      const posted = slack.requests.length - before;
      if (posted < expected) throw new Error(`${label}: expected at least ${expected} Slack calls, saw ${posted}`);
    };

    // 2. Cold init ------------------------------------------------------------------------------
    let nextNumber = 100;
    if (!SKIP.has('cold')) {
      log(`cold init: ${COLD_RUNS} fresh processes for each of ${targets.map((t) => t.name).join(', ')} (interleaved)`);
      const cold: Record<string, { total: number[]; load: number[]; firstRequest: number[]; bootstrap: number[]; wall: number[] }> = {};
      for (const t of targets) cold[t.name] = { total: [], load: [], firstRequest: [], bootstrap: [], wall: [] };
      registerPullRequests(nextNumber, COLD_RUNS * targets.length);
      const before = slack.requests.length;
      for (let run = 0; run < COLD_RUNS; run++) {
        for (const t of targets) {
          const number = nextNumber++;
          const resultFile = join(work, `cold-${t.name}-${run}.json`);
          // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each cold process too (load and first request).
          const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=cold-${t.name}-${run}.cpuprofile`] : [];
          const child = await runChild([...profile, 'bench/children/cold.mjs', t.bundle, t.spec, String(number), resultFile], t.env);
          if (child.code !== 0) throw new Error(`cold ${t.name} exited ${child.code}:\n${child.stderr}`);
          const r = readJson<{ total: number; load: number; firstRequest: number; bootstrap: number; status: number; body: string }>(resultFile);
          if (r.status !== 200) throw new Error(`cold ${t.name}: HTTP ${r.status} ${r.body}\n${child.stderr}`);
          const c = cold[t.name];
          if (!c) continue;
          c.total.push(r.total);
          c.load.push(r.load);
          c.firstRequest.push(r.firstRequest);
          c.bootstrap.push(r.bootstrap);
          c.wall.push(child.wallMs);
        }
      }
      checkSlackPosts('cold init', before, COLD_RUNS * targets.length);
      results.coldInit = Object.fromEntries(
        targets.map((t) => {
          const c = cold[t.name];
          if (!c) throw new Error('unreachable');
          return [
            t.name,
            {
              bundle: t.bundle.slice(root.length + 1),
              medianMs: round(median(c.total)),
              p90Ms: round(quantile(c.total, 0.9)),
              medianLoadMs: round(median(c.load)),
              medianFirstRequestMs: round(median(c.firstRequest)),
              medianNodeBootstrapMs: round(median(c.bootstrap)),
              medianWallFromSpawnMs: round(median(c.wall)),
              samplesMs: c.total.map((v) => round(v)),
            },
          ];
        }),
      );
    }

    // 3. Warm latency ---------------------------------------------------------------------------
    if (!SKIP.has('warm')) {
      const warm: Record<string, unknown> = {};
      for (const t of targets) {
        log(`warm latency: ${t.name}, ${WARMUP} warm-up + ${WARM_REQUESTS} requests, one at a time`);
        registerPullRequests(nextNumber, WARMUP + WARM_REQUESTS);
        const before = slack.requests.length;
        const resultFile = join(work, `warm-${t.name}.json`);
        // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each warm process, to see where its own work goes.
        const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=warm-${t.name}.cpuprofile`] : [];
        const child = await runChild([...profile, 'bench/children/warm.mjs', t.bundle, t.spec, String(nextNumber), String(WARMUP), String(WARM_REQUESTS), resultFile], t.env, 400_000);
        nextNumber += WARMUP + WARM_REQUESTS;
        if (child.code !== 0) throw new Error(`warm ${t.name} exited ${child.code}:\n${child.stderr}`);
        const r = readJson<{ samples: { total: number; dynamodb: number; fakes: number; own: number; calls: number }[]; statuses: Record<string, number> }>(resultFile);
        if (Object.keys(r.statuses).some((s) => s !== '200')) throw new Error(`warm ${t.name}: statuses ${JSON.stringify(r.statuses)}\n${child.stderr}`);
        checkSlackPosts(`warm ${t.name}`, before, WARMUP + WARM_REQUESTS);
        const pick = (key: 'total' | 'dynamodb' | 'fakes' | 'own') => r.samples.map((s) => s[key]);
        warm[t.name] = {
          requests: r.samples.length,
          totalMs: { p50: round(median(pick('total')), 2), p99: round(quantile(pick('total'), 0.99), 2) },
          ownMs: { p50: round(median(pick('own')), 2), p99: round(quantile(pick('own'), 0.99), 2) },
          dynamoDbMs: { p50: round(median(pick('dynamodb')), 2), p99: round(quantile(pick('dynamodb'), 0.99), 2) },
          fakesMs: { p50: round(median(pick('fakes')), 2), p99: round(quantile(pick('fakes'), 0.99), 2) },
          outboundCallsPerRequest: round(median(r.samples.map((s) => s.calls)), 0),
        };
      }
      results.warmLatency = warm;
    }

    // 4. Burst against npm start ------------------------------------------------------------------
    if (!SKIP.has('burst')) results.burst = await burst(github, slack, registerPullRequests, { config, keys, nextNumber, logLevel: benchLogLevel });
    nextNumber += BURST;

    // 5. Diff overhead ----------------------------------------------------------------------------
    if (!SKIP.has('diff')) {
      const diff: Record<string, unknown> = {};
      for (const mb of DIFF_SIZES_MB) {
        const tarballFile = join(work, `repo-${mb}mb.tar.gz`);
        const bytes = await repositoryTarball(tarballFile, mb, work);
        const runs: { totalMs: number; fluxMs: number; overheadMs: number; outboundMs: number; peakRssMB: number; loadMs: number }[] = [];
        for (let run = 0; run < DIFF_RUNS; run++) {
          log(`diff overhead: ${mb} MB tarball, run ${run + 1} of ${DIFF_RUNS}`);
          const number = nextNumber++;
          const headSha = randomBytes(20).toString('hex');
          const payload = pullRequestPayload('opened', { repository: REPOSITORY, number, headSha, installationId: INSTALLATION });
          github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository: REPOSITORY, files: FILES });
          github.setTarball(REPOSITORY, headSha, readFileSync(tarballFile));
          const env = { ...oursEnv, FLUX_BIN: STAND_IN_FLUX };
          const opened = await handleGithubWebhook(githubEvent(payload, { secret: SECRETS.webhook, number }), env);
          if (opened.statusCode !== 200) throw new Error(`diff setup: webhook answered ${opened.statusCode} ${opened.body ?? ''}`);
          const notice = slack.messages.find((m) => !m.threadTs && new RegExp(`${REPOSITORY}#${number}(?!\\d)`).test(m.text));
          if (!notice) throw new Error(`diff setup: no notice for #${number}`);
          const sent = sqs.sent.length;
          const clicked = await handleSlackRequest(slackClickEvent(clickTemplate, { secret: SECRETS.signing, number, messageTs: notice.ts }), { env });
          if (clicked.statusCode !== 200 || sqs.sent.length !== sent + 1) throw new Error(`diff setup: click answered ${clicked.statusCode}, ${sqs.sent.length - sent} jobs queued`);
          const message = sqs.sent.at(-1);
          if (!message) throw new Error('unreachable');
          const eventFile = join(work, `sqs-${number}.json`);
          writeFileSync(eventFile, JSON.stringify(sqsEvent(message.body)));
          const resultFile = join(work, `diff-${number}.json`);
          const child = await runChild(['bench/children/diff.mjs', bundle('worker').file, eventFile, resultFile, dynamo.endpoint], env, 300_000);
          if (child.code !== 0) throw new Error(`diff child exited ${child.code}:\n${child.stderr}`);
          const r = readJson<{ totalMs: number; fluxMs: number; fluxRuns: number; outboundMs: number; maxRssKB: number; loadMs: number; batchItemFailures: unknown[] }>(resultFile);
          if (r.batchItemFailures.length > 0 || r.fluxRuns !== 1) throw new Error(`diff: ${r.fluxRuns} flux runs, failures ${JSON.stringify(r.batchItemFailures)}\n${child.stderr}`);
          const report = slack.messages.filter((m) => m.threadTs === notice.ts).at(-1);
          if (!report || !/created/.test(`${report.text}${JSON.stringify(report.blocks ?? [])}`)) throw new Error(`diff: no report in the thread of #${number}\n${child.stderr}`);
          runs.push({ totalMs: r.totalMs, fluxMs: r.fluxMs, overheadMs: r.totalMs - r.fluxMs, outboundMs: r.outboundMs, peakRssMB: r.maxRssKB / 1024, loadMs: r.loadMs });
        }
        diff[`${mb}MB`] = {
          tarballMB: round(bytes / 2 ** 20, 1),
          overheadMs: round(median(runs.map((r) => r.overheadMs))),
          overheadMaxMs: round(Math.max(...runs.map((r) => r.overheadMs))),
          fluxMs: round(median(runs.map((r) => r.fluxMs))),
          totalMs: round(median(runs.map((r) => r.totalMs))),
          waitingOnFakesMs: round(median(runs.map((r) => r.outboundMs))),
          peakRssMB: round(Math.max(...runs.map((r) => r.peakRssMB))),
          bundleLoadMs: round(median(runs.map((r) => r.loadMs))),
          runs: runs.length,
        };
      }
      results.diffOverhead = diff;
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log(`while stopping: ${(err as Error).message}`));
    rmSync(work, { recursive: true, force: true });
  }
  results.benchSeconds = round((performance.now() - benchStarted) / 1000);
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(results));
  log(`wrote bench/results.json in ${results.benchSeconds as number} s`);
}

/** An SQS event of one record, as Lambda's event source mapping delivers it. */
function sqsEvent(body: string) {
  return {
    Records: [
      {
        messageId: randomUUID(),
        receiptHandle: 'bench',
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'bench', ApproximateFirstReceiveTimestamp: String(Date.now()) },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:fluxline-bench-jobs',
        awsRegion: 'eu-west-1',
      },
    ],
  };
}

/**
 * A repository tarball as GitHub serves it (one `owner-repo-sha/` folder) of about `mb` MB gzipped: the
 * Kustomization the stand-in flux diffs, 200 small YAML manifests, and vendored chart archives
 * (incompressible 1 MiB files) making up the size. Returns its size in bytes.
 */
async function repositoryTarball(file: string, mb: number, work: string): Promise<number> {
  const dir = join(work, `repo-${mb}`);
  const top = 'acme-fleet-0123456';
  mkdirSync(join(dir, top, 'clusters', 'stage'), { recursive: true });
  writeFileSync(join(dir, top, 'clusters', 'stage', 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
  writeFileSync(join(dir, top, 'clusters', 'stage', 'fluxline-scenario'), 'changes with-deployment\n');
  mkdirSync(join(dir, top, 'apps'), { recursive: true });
  for (let i = 0; i < 200; i++) {
    writeFileSync(join(dir, top, 'apps', `app-${i}.yaml`), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: default\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/app-${i}:1.${i}.0\n`);
  }
  mkdirSync(join(dir, top, 'vendor', 'charts'), { recursive: true });
  const chunks = Math.max(1, Math.round(mb));
  for (let i = 0; i < chunks; i++) writeFileSync(join(dir, top, 'vendor', 'charts', `chart-${i}.tgz`), randomBytes(2 ** 20 - 4096));
  await tar.c({ gzip: true, cwd: dir, portable: true, file }, [top]);
  rmSync(dir, { recursive: true, force: true });
  return readFileSync(file).length;
}

/**
 * 4. `npm start` (scripts/start.mjs: DynamoDB Local, serverless offline) with the bench's fakes for
 * GitHub and Slack, then BURST deliveries of pull_request.opened at once: 90 % distinct PRs, 10 %
 * redeliveries of one of them (same delivery id, same body). Counts the Slack posts per PR.
 */
async function burst(
  github: FakeGithub,
  slack: FakeSlack,
  registerPullRequests: (from: number, count: number) => void,
  { config, keys, nextNumber, logLevel }: { config: string; keys: { privateKey: string }; nextNumber: number; logLevel: string | undefined },
) {
  const unique = Math.round(BURST * 0.9);
  const duplicates = BURST - unique;
  registerPullRequests(nextNumber, unique);
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: logLevel,
    PORT: String(port),
    GITHUB_APP_ID: APP_ID,
    GITHUB_PRIVATE_KEY: keys.privateKey,
    GITHUB_API_URL: github.url,
    GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
    SLACK_BOT_TOKEN: SECRETS.slackToken,
    SLACK_API_URL: slack.url,
    SLACK_SIGNING_SECRET: SECRETS.signing,
    FLUXLINE_CONFIG: config,
    TABLE_NAME: 'fluxline-burst',
  };
  log(`burst: starting npm start on port ${port}`);
  const startedAt = performance.now();
  const server = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 200_000) output += chunk.toString();
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not ready within 180 s:\n${output.slice(-4000)}`)), 180_000);
      const check = () => {
        if (/Fluxline is running on/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout.on('data', check);
      server.stderr.on('data', check);
      void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${output.slice(-4000)}`)));
    });
    const startupSeconds = (performance.now() - startedAt) / 1000;
    const template = pullRequestPayload('opened', { repository: REPOSITORY, installationId: INSTALLATION });
    const deliveries = Array.from({ length: unique }, (_, i) => githubDelivery(template, { secret: SECRETS.webhook, number: nextNumber + i }));
    const requests = [...deliveries];
    for (let i = 0; i < duplicates; i++) requests.push(deliveries[i % deliveries.length] ?? deliveries[0] ?? { body: '', headers: {} });
    // Shuffled (by a random sort key), so a redelivery may come before, with or after its original.
    const shuffled = requests.map((request) => ({ request, key: Math.random() })).sort((a, b) => a.key - b.key).map(({ request }) => request);
    const before = slack.messages.length;
    log(`burst: ${shuffled.length} deliveries (${unique} PRs + ${duplicates} redeliveries) at once`);
    const started = performance.now();
    const burstStartedAt = Date.now();
    const postCalls = slack.requests.length;
    const statuses: Record<string, number> = {};
    const outcomes: Record<string, number> = {};
    const answerMs: number[] = [];
    await Promise.all(
      shuffled.map(async ({ body, headers }) => {
        try {
          const sent = performance.now();
          const response = await fetch(`http://127.0.0.1:${port}/github/webhook`, { method: 'POST', body, headers });
          const text = await response.text();
          answerMs.push(performance.now() - sent);
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
          let outcome: string;
          try {
            const json = JSON.parse(text) as { status?: string; errorType?: string };
            outcome = json.status ?? json.errorType ?? `other: ${text.slice(0, 120)}`;
          } catch {
            outcome = `not JSON: ${text.slice(0, 120)}`;
          }
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        } catch (err) {
          statuses.network = (statuses.network ?? 0) + 1;
          outcomes[(err as Error).message] = (outcomes[(err as Error).message] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // serverless offline answers a handler that outlives the function's timeout (10 s) with a 504 in a 200,
    // and lets the handler run on: wait until the fake Slack has had no new message for 3 s (at most 60 s).
    let settledAfter = 0;
    for (let seen = -1, quiet = 0; quiet < 3 && settledAfter < 60; settledAfter++) {
      quiet = slack.messages.length === seen ? quiet + 1 : 0;
      seen = slack.messages.length;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const posts = slack.messages.slice(before).filter((m) => !m.threadTs);
    // When the work was done: the last chat.postMessage, which may come after the last (timed-out) answer.
    const lastPostAt = Math.max(burstStartedAt, ...slack.requests.slice(postCalls).filter((r) => r.method === 'chat.postMessage').map((r) => r.at));
    const workSeconds = Math.max(seconds, (lastPostAt - burstStartedAt) / 1000);
    const perPr = new Map<number, number>();
    for (const m of posts) {
      const match = /acme\/fleet#(\d+)/.exec(m.text);
      if (match) perPr.set(Number(match[1]), (perPr.get(Number(match[1])) ?? 0) + 1);
    }
    let lost = 0;
    let duplicated = 0;
    for (let i = 0; i < unique; i++) {
      const count = perPr.get(nextNumber + i) ?? 0;
      if (count === 0) lost++;
      if (count > 1) duplicated += count - 1;
    }
    return {
      deliveries: requests.length,
      uniquePullRequests: unique,
      redeliveries: duplicates,
      seconds: round(seconds, 2),
      workSeconds: round(workSeconds, 2),
      deliveriesPerSecond: round(requests.length / workSeconds),
      answersPerSecond: round(requests.length / seconds),
      slackPosts: posts.length,
      lostPosts: lost,
      duplicatePosts: duplicated,
      answerMs: { p50: round(median(answerMs)), p99: round(quantile(answerMs, 0.99)), max: round(Math.max(...answerMs)) },
      // GitHub counts from its side: an answer later than 10 s is a failed delivery, whether or not the
      // handler itself ran past serverless offline's timeout (which starts when offline invokes it).
      answeredAfter10s: answerMs.filter((ms) => ms > 10_000).length,
      timedOut: outcomes.LambdaTimeoutError ?? 0,
      postsSettledAfterSeconds: settledAfter,
      statuses,
      outcomes,
      npmStartReadySeconds: round(startupSeconds),
    };
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGINT');
      const timer = setTimeout(() => server.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
  }
}

// ---------------------------------------------------------------------------------------------- the table

function table(results: Record<string, unknown>): string {
  type Cold = Record<string, { medianMs: number; p90Ms: number; medianLoadMs: number; medianFirstRequestMs: number }>;
  type Warm = Record<string, { totalMs: { p50: number; p99: number }; ownMs: { p50: number; p99: number }; dynamoDbMs: { p50: number; p99: number }; fakesMs: { p50: number; p99: number } }>;
  const bundles = results.bundles as Record<string, { kb: number }>;
  const cold = results.coldInit as Cold | undefined;
  const warm = results.warmLatency as Warm | undefined;
  const burstResult = results.burst as Record<string, number> | undefined;
  const diff = results.diffOverhead as Record<string, Record<string, number>> | undefined;
  const rows: string[][] = [];
  const section = (title: string) => rows.push([`— ${title}`]);
  const ratio = (ours: number | undefined, theirs: number | undefined) => (ours && theirs ? `${round(ours / theirs, 2)}×` : '');
  const goal = (ok: boolean) => (ok ? 'goal met' : 'goal MISSED');

  section('1. Bundle size (esbuild, minified)');
  rows.push(['', 'Fluxline', 'Probot / Bolt', 'ratio', 'goal']);
  rows.push(['github-webhook vs Probot', `${bundles['github-webhook']?.kb} KB`, `${bundles.probot?.kb} KB`, ratio(bundles['github-webhook']?.kb, bundles.probot?.kb), `${goal((bundles['github-webhook']?.kb ?? Infinity) <= 400)} (≤ 400 KB)`]);
  rows.push(['slack vs Bolt', `${bundles.slack?.kb} KB`, `${bundles.bolt?.kb} KB`, ratio(bundles.slack?.kb, bundles.bolt?.kb), `${goal((bundles.slack?.kb ?? Infinity) <= 400)} (≤ 400 KB)`]);
  rows.push(['worker / flux-events / health', `${bundles.worker?.kb} / ${bundles['flux-events']?.kb} / ${bundles.health?.kb} KB`, '', '', '']);

  if (cold) {
    section(`2. Cold init: process start -> first response, ms (median / p90 of ${COLD_RUNS})`);
    rows.push(['', 'Fluxline', 'Probot / Bolt', 'ratio of medians', 'goal']);
    for (const [ours, peer] of [['github-webhook', 'probot'], ['slack', 'bolt']] as const) {
      const a = cold[ours];
      const b = cold[peer];
      if (!a || !b) continue;
      rows.push([
        `${ours} vs ${peer === 'probot' ? 'Probot' : 'Bolt'}`,
        `${a.medianMs} / ${a.p90Ms}`,
        `${b.medianMs} / ${b.p90Ms}`,
        ratio(a.medianMs, b.medianMs),
        `${goal(a.medianMs <= b.medianMs / 3)} (≤ 1/3)`,
      ]);
      rows.push(['  of which load / first request', `${a.medianLoadMs} / ${a.medianFirstRequestMs}`, `${b.medianLoadMs} / ${b.medianFirstRequestMs}`, '', '']);
    }
  }
  if (warm) {
    section(`3. Warm latency, ms p50 / p99 over ${WARM_REQUESTS} requests (own = total - waiting on DynamoDB Local and fakes)`);
    rows.push(['', 'total', 'own work', 'DynamoDB Local', 'fakes (GitHub, Slack, SQS)']);
    for (const name of ['github-webhook', 'probot', 'slack', 'bolt']) {
      const w = warm[name];
      if (!w) continue;
      rows.push([name, `${w.totalMs.p50} / ${w.totalMs.p99}`, `${w.ownMs.p50} / ${w.ownMs.p99}`, `${w.dynamoDbMs.p50} / ${w.dynamoDbMs.p99}`, `${w.fakesMs.p50} / ${w.fakesMs.p99}`]);
    }
    const worst = Math.max(warm['github-webhook']?.ownMs.p99 ?? Infinity, warm.slack?.ownMs.p99 ?? Infinity);
    rows.push(['own work p99 goal (≤ 10 ms)', goal(worst <= 10), '', `vs Probot own p99: ${ratio(warm['github-webhook']?.ownMs.p99, warm.probot?.ownMs.p99)}`, `vs Bolt own p99: ${ratio(warm.slack?.ownMs.p99, warm.bolt?.ownMs.p99)}`]);
  }
  if (burstResult) {
    section(`4. Burst: ${burstResult.deliveries} deliveries at once to npm start (${burstResult.redeliveries} redeliveries)`);
    const answers = (results.burst as { answerMs: { p50: number; p99: number } }).answerMs;
    rows.push(['deliveries / s', String(burstResult.deliveriesPerSecond), `all done in ${burstResult.workSeconds} s`, `answer p50 / p99 ${answers.p50} / ${answers.p99} ms`, `${burstResult.answeredAfter10s} answered after 10 s (${burstResult.timedOut} timed out in the handler)`]);
    rows.push(['Slack posts', `${burstResult.slackPosts} for ${burstResult.uniquePullRequests} PRs`, `lost ${burstResult.lostPosts}, duplicated ${burstResult.duplicatePosts}`, '', goal(burstResult.lostPosts === 0 && burstResult.duplicatePosts === 0) + ' (0 / 0)']);
  }
  if (diff) {
    section('5. Diff overhead: worker time outside the flux process (median of runs)');
    rows.push(['tarball', 'overhead ms', 'flux process ms', 'peak RSS MB', 'goal']);
    for (const d of Object.values(diff)) rows.push([`${d.tarballMB} MB`, `${d.overheadMs} (max ${d.overheadMaxMs})`, String(d.fluxMs), String(d.peakRssMB), (d.tarballMB ?? 0) >= 40 ? `${goal((d.overheadMs ?? Infinity) <= 1000)} (≤ 1 s)` : '']);
  }
  const widths = [34, 22, 22, 26, 28];
  return `\n${rows.map((r) => (r.length === 1 ? `\n${r[0]}` : r.map((cell, i) => cell.padEnd(widths[i] ?? 10)).join(' ').trimEnd())).join('\n')}\n`;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
