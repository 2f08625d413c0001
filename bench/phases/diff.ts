// 5. Diff overhead: one Flux diff job run by the worker bundle in a fresh process (children/diff.mjs),
// fed one SQS record as Lambda does, for repository tarballs of each size.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';
import type { Context } from 'aws-lambda';
import type { handleGithubDeliveries } from '../../functions/github-deliveries';
import type { handleGithubWebhook } from '../../functions/github-webhook';
import type { handleSlackRequest } from '../../functions/slack';
import type { handleSlackRequests } from '../../functions/slack-requests';
import { pullRequestPayload } from '../../test/helpers/github-payloads';
import { readJson, runChild } from '../lib/child';
import { githubEvent, slackClickEvent } from '../lib/requests.mjs';
import { INSTALLATION, FILES, REPOSITORY, SECRETS, SETTINGS, log } from '../lib/settings';
import { median, round } from '../lib/stats';
import { root, type World } from '../lib/world';

const STAND_IN_FLUX = join(root, 'test', 'fakes', 'flux', 'flux');

/** The handlers' sources, imported by run.ts once LOG_LEVEL keeps their logs out of the table. */
type Handlers = {
  handleGithubWebhook: typeof handleGithubWebhook;
  handleGithubDeliveries: typeof handleGithubDeliveries;
  handleSlackRequest: typeof handleSlackRequest;
  handleSlackRequests: typeof handleSlackRequests;
};

/** The message an ingress route put on the (fake) queue, handed to its consumer as Lambda's event source mapping would. */
async function consumeLast(world: World, consume: (event: ReturnType<typeof sqsEvent>) => Promise<{ batchItemFailures: unknown[] }>, label: string): Promise<void> {
  const message = world.sqs.sent.at(-1);
  if (!message) throw new Error(`diff setup: ${label} queued nothing`);
  const { batchItemFailures } = await consume(sqsEvent(message.body));
  if (batchItemFailures.length > 0) throw new Error(`diff setup: the ${label} consumer failed its message`);
}

export async function diffOverhead(world: World, workerBundle: string, handlers: Handlers) {
  const { github, slack, sqs, work } = world;
  const diff: Record<string, unknown> = {};
  for (const mb of SETTINGS.diffSizesMB) {
    const tarballFile = join(work, `repo-${mb}mb.tar.gz`);
    const bytes = await repositoryTarball(tarballFile, mb, work);
    const floorMs = await gunzipFloorMs(readFileSync(tarballFile));
    const runs: { totalMs: number; fluxMs: number; overheadMs: number; outboundMs: number; peakRssMB: number; loadMs: number }[] = [];
    for (let run = 0; run < SETTINGS.diffRuns; run++) {
      log(`diff overhead: ${mb} MB tarball, run ${run + 1} of ${SETTINGS.diffRuns}`);
      const number = world.nextNumber++;
      const headSha = randomBytes(20).toString('hex');
      const payload = pullRequestPayload('opened', { repository: REPOSITORY, number, headSha, installationId: INSTALLATION });
      github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository: REPOSITORY, files: FILES });
      github.setTarball(REPOSITORY, headSha, readFileSync(tarballFile));
      const env = { ...world.oursEnv, FLUX_BIN: STAND_IN_FLUX, ...(process.env.BENCH_DIFF_TRACE ? { BENCH_DIFF_TRACE: '1' } : {}) };
      const opened = await handlers.handleGithubWebhook(githubEvent(payload, { secret: SECRETS.webhook, number }), env);
      if (opened.statusCode !== 202) throw new Error(`diff setup: webhook answered ${opened.statusCode} ${opened.body ?? ''}`);
      await consumeLast(world, (event) => handlers.handleGithubDeliveries(event, {} as Context, env), 'deliveries');
      const notice = slack.messages.find((m) => !m.threadTs && new RegExp(`${REPOSITORY}#${number}(?!\\d)`).test(m.text));
      if (!notice) throw new Error(`diff setup: no notice for #${number}`);
      const clicked = await handlers.handleSlackRequest(slackClickEvent(world.clickTemplate, { secret: SECRETS.signing, number, messageTs: notice.ts }), { env });
      if (clicked.statusCode !== 200) throw new Error(`diff setup: click answered ${clicked.statusCode}`);
      const sent = sqs.sent.length;
      await consumeLast(world, (event) => handlers.handleSlackRequests(event, {} as Context, env), 'Slack requests');
      if (sqs.sent.length !== sent + 1) throw new Error(`diff setup: the click queued ${sqs.sent.length - sent} jobs`);
      const message = sqs.sent.at(-1);
      if (!message) throw new Error('unreachable');
      const eventFile = join(work, `sqs-${number}.json`);
      writeFileSync(eventFile, JSON.stringify(sqsEvent(message.body)));
      const resultFile = join(work, `diff-${number}.json`);
      const child = await runChild(['bench/children/diff.mjs', workerBundle, eventFile, resultFile, world.dynamoDbEndpoint], env, 300_000);
      if (child.code !== 0) throw new Error(`diff child exited ${child.code}:\n${child.stderr}`);
      const r = readJson<{ totalMs: number; fluxMs: number; fluxRuns: number; outboundMs: number; maxRssKB: number; loadMs: number; batchItemFailures: unknown[] }>(resultFile);
      if (r.batchItemFailures.length > 0 || r.fluxRuns !== 1) throw new Error(`diff: ${r.fluxRuns} flux runs, failures ${JSON.stringify(r.batchItemFailures)}\n${child.stderr}`);
      const report = slack.messages.filter((m) => m.threadTs === notice.ts).at(-1);
      if (!report || !/created/.test(`${report.text}${JSON.stringify(report.blocks ?? [])}`)) throw new Error(`diff: no report in the thread of #${number}\n${child.stderr}`);
      if (process.env.BENCH_DIFF_TRACE) log(`diff trace #${number}: ${JSON.stringify((r as { trace?: unknown }).trace)}`);
      runs.push({ totalMs: r.totalMs, fluxMs: r.fluxMs, overheadMs: r.totalMs - r.fluxMs, outboundMs: r.outboundMs, peakRssMB: r.maxRssKB / 1024, loadMs: r.loadMs });
    }
    const overheadMs = median(runs.map((r) => r.overheadMs));
    const overheadMaxMs = Math.max(...runs.map((r) => r.overheadMs));
    diff[`${mb}MB`] = {
      tarballMB: round(bytes / 2 ** 20, 1),
      gunzipFloorMs: round(floorMs),
      overheadMs: round(overheadMs),
      overheadMaxMs: round(overheadMaxMs),
      floorRatio: round(overheadMs / floorMs, 2),
      floorRatioMax: round(overheadMaxMs / floorMs, 2),
      fluxMs: round(median(runs.map((r) => r.fluxMs))),
      totalMs: round(median(runs.map((r) => r.totalMs))),
      waitingOnFakesMs: round(median(runs.map((r) => r.outboundMs))),
      peakRssMB: round(Math.max(...runs.map((r) => r.peakRssMB))),
      bundleLoadMs: round(median(runs.map((r) => r.loadMs))),
      runs: runs.length,
    };
  }
  return diff;
}

/**
 * The floor any checkout pays (issue #20): inflating the tarball once, in-process, with zlib, to a sink
 * that drops the bytes, fed in the 64 KiB pieces a socket hands over. Median of 5, after one warm-up.
 */
async function gunzipFloorMs(tarball: Buffer): Promise<number> {
  const pieces = Array.from({ length: Math.ceil(tarball.length / 65_536) }, (_, i) => tarball.subarray(i * 65_536, (i + 1) * 65_536));
  const once = async () => {
    const start = performance.now();
    await pipeline(Readable.from(pieces), createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }));
    return performance.now() - start;
  };
  await once();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(await once());
  return median(times);
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
