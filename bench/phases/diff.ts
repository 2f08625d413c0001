// 5. Diff overhead: one Flux diff job run by the worker bundle in a fresh process (children/diff.mjs),
// fed one SQS record as Lambda does, for repository tarballs of each size.
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import type { Context } from 'aws-lambda';
import type { handleGithubDeliveries } from '../../functions/github-deliveries';
import type { handleGithubWebhook } from '../../functions/github-webhook';
import type { handleSlackRequest } from '../../functions/slack';
import type { handleSlackRequests } from '../../functions/slack-requests';
import { pullRequestPayload } from '../../test/helpers/github-payloads';
import { CLICK_WINDOW_SECONDS } from '../../lib/adapters/store/clicks';
import { cpuProfileFlags, heapProfileFlags, readJson, runChild } from '../lib/child';
import { deployedProcessEnv } from '../lib/deployed-env';
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
  const { work } = world;
  const diff: Record<string, unknown> = {};
  const warmMB = SETTINGS.diffSizesMB.includes(SETTINGS.diffWarmMB) ? SETTINGS.diffWarmMB : SETTINGS.diffSizesMB[0];
  for (const mb of SETTINGS.diffSizesMB) {
    const tarballFile = join(work, `repo-${mb}mb.tar.gz`);
    const bytes = await repositoryTarball(tarballFile, mb, work);
    const floorMs = await gunzipFloorMs(tarballFile, work);
    diff[`${mb}MB`] = await coldDiffs(world, workerBundle, handlers, { mb, bytes, floorMs, tarballFile, env: diffEnv(world) });
    // The same repository when its reach is not certain (links, a child whose path a patch may change): checked out from its tarball.
    if (SETTINGS.diffTarballSizesMB.includes(mb)) {
      diff[`${mb}MB-tarball`] = await coldDiffs(world, workerBundle, handlers, { mb, bytes, floorMs, tarballFile, env: { ...diffEnv(world), FLUXLINE_SCOPED_CHECKOUT_MIN_MB: 'off' } });
    }
    if (mb === warmMB) diff.warmSecond = await warmSecondDiff(world, workerBundle, handlers, tarballFile);
  }
  return diff;
}

/**
 * SETTINGS.diffRuns cold diff jobs of the repository in `tarballFile`, each in a fresh worker process, with
 * `env`. `checkout` says how the jobs checked the commit out: its tarball, or file by file (a tree listing
 * and contents calls, lib/flows/diffs/scoped-checkout.ts).
 */
async function coldDiffs(world: World, workerBundle: string, handlers: Handlers, { mb, bytes, floorMs, tarballFile, env }: { mb: number; bytes: number; floorMs: number; tarballFile: string; env: Env }) {
  const { github, work } = world;
  const runs: { totalMs: number; fluxMs: number; overheadMs: number; outboundMs: number; peakRssMB: number; loadMs: number; cpuMs: number; archiveMs: number; tarballs: number; contentsCalls: number }[] = [];
  for (let run = 0; run < SETTINGS.diffRuns; run++) {
    log(`diff overhead: ${mb} MB repository${env.FLUXLINE_SCOPED_CHECKOUT_MIN_MB === 'off' ? ' from its tarball' : ''}, run ${run + 1} of ${SETTINGS.diffRuns}`);
    const number = world.nextNumber++;
    const headSha = randomBytes(20).toString('hex');
    github.setTarball(REPOSITORY, headSha, readFileSync(tarballFile));
    const { eventFile } = await queueDiffJob(world, handlers, env, number, headSha);
    // The fake reads the archive for the commit's tree and contents now, outside the timed job (GitHub has them at hand).
    github.git.readTarball(REPOSITORY, headSha);
    const resultFile = join(work, `diff-${number}.json`);
    const child = await runChild([...cpuProfileFlags(`diff-${mb}mb-${run}`), ...heapProfileFlags(`diff-${mb}mb-${run}`), 'bench/children/diff.mjs', workerBundle, eventFile, resultFile, world.dynamoDbEndpoint], workerChildEnv(env), 300_000);
    if (child.code !== 0) throw new Error(`diff child exited ${child.code}:\n${child.stderr}`);
    const r = readJson<{ totalMs: number; cpuMs: number; fluxMs: number; fluxRuns: number; outboundMs: number; maxRssKB: number; loadMs: number; archiveMs: number; tarballs: number; contentsCalls: number; batchItemFailures: unknown[] }>(resultFile);
    if (r.batchItemFailures.length > 0 || r.fluxRuns !== 1) throw new Error(`diff: ${r.fluxRuns} flux runs, failures ${JSON.stringify(r.batchItemFailures)}\n${child.stderr}`);
    assertReported(world, number, child.stderr);
    if (process.env.BENCH_DIFF_TRACE) log(`diff trace #${number}: ${JSON.stringify((r as { trace?: unknown }).trace)}`);
    runs.push({ totalMs: r.totalMs, fluxMs: r.fluxMs, overheadMs: r.totalMs - r.fluxMs, outboundMs: r.outboundMs, peakRssMB: r.maxRssKB / 1024, loadMs: r.loadMs, cpuMs: r.cpuMs, archiveMs: r.archiveMs, tarballs: r.tarballs, contentsCalls: r.contentsCalls });
  }
  const overheadMs = median(runs.map((r) => r.overheadMs));
  const overheadMaxMs = Math.max(...runs.map((r) => r.overheadMs));
  const fromTarball = runs.filter((r) => r.tarballs > 0).length;
  return {
    tarballMB: round(bytes / 2 ** 20, 1),
    checkout: fromTarball === runs.length ? 'tarball' : fromTarball === 0 ? 'file by file' : `mixed: ${fromTarball} of ${runs.length} from the tarball`,
    contentsCalls: median(runs.map((r) => r.contentsCalls)),
    gunzipFloorMs: round(floorMs),
    overheadMs: round(overheadMs),
    overheadMaxMs: round(overheadMaxMs),
    floorRatio: round(overheadMs / floorMs, 2),
    floorRatioMax: round(overheadMaxMs / floorMs, 2),
    // The part of the overhead that the floor is about: the archive streamed in, inflated and written.
    ...(fromTarball > 0 ? { archiveStreamMs: round(median(runs.map((r) => r.archiveMs))) } : {}),
    fluxMs: round(median(runs.map((r) => r.fluxMs))),
    totalMs: round(median(runs.map((r) => r.totalMs))),
    waitingOnFakesMs: round(median(runs.map((r) => r.outboundMs))),
    peakRssMB: round(Math.max(...runs.map((r) => r.peakRssMB))),
    bundleLoadMs: round(median(runs.map((r) => r.loadMs))),
    handlerCpuMs: round(median(runs.map((r) => r.cpuMs))),
    runs: runs.length,
  };
}

type Env = Record<string, string>;

/**
 * The stand-in flux laid out as the layer is (infra/flux-layer/build.mjs): `bin/flux` and beside it
 * `bin/flux.version`, which the layer build writes from the pinned release and the worker reads instead of
 * spawning `flux version --client`. Here the version is the stand-in's own answer, asked once, untimed.
 */
function standInLayer(world: World): string {
  const bin = join(world.work, 'layer', 'bin', 'flux');
  if (!existsSync(bin)) {
    mkdirSync(join(world.work, 'layer', 'bin'), { recursive: true });
    symlinkSync(STAND_IN_FLUX, bin);
    const answer = execFileSync(STAND_IN_FLUX, ['version', '--client'], { encoding: 'utf8' });
    writeFileSync(`${bin}.version`, `${answer.replace(/^flux:\s*/, '').trim()}\n`);
  }
  return bin;
}

/** The worker's environment as serverless.yml sets it (the checkout cache included), with the stand-in flux. */
function diffEnv(world: World): Env {
  return { ...world.oursEnv, FLUX_BIN: standInLayer(world), FLUXLINE_CHECKOUT_CACHE_MB: '512', ...(process.env.BENCH_DIFF_TRACE ? { BENCH_DIFF_TRACE: '1' } : {}) };
}

/**
 * The worker process's environment: diffEnv plus the process tuning serverless.yml gives the worker
 * (NODE_OPTIONS, MALLOC_ARENA_MAX), so the child's memory and time are the deployed worker's (the
 * profiling flags of BENCH_CPU_PROF and BENCH_HEAP_PROF come as arguments). flux never sees them: the
 * worker runs flux with PATH, HOME and KUBECONFIG only (lib/adapters/flux/job-folder.ts).
 */
function workerChildEnv(env: Env): Env {
  return { ...env, ...deployedProcessEnv('worker') };
}

/**
 * What a user does before a diff job exists: the PR (head `headSha`) is opened or updated, its notice
 * posted, and *Flux diff* clicked. Returns the file of the SQS event that carries the job to the worker,
 * and when the click was made (its `action_ts` is no earlier): what a second click's double-click window
 * counts from.
 */
async function queueDiffJob(world: World, handlers: Handlers, env: Env, number: number, headSha: string): Promise<{ eventFile: string; clickedAt: number }> {
  const { github, slack, sqs, work } = world;
  const payload = pullRequestPayload('opened', { repository: REPOSITORY, number, headSha, installationId: INSTALLATION });
  github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository: REPOSITORY, files: FILES });
  let notice = slack.messages.find((m) => !m.threadTs && new RegExp(`${REPOSITORY}#${number}(?!\\d)`).test(m.text));
  if (!notice) {
    const opened = await handlers.handleGithubWebhook(githubEvent(payload, { secret: SECRETS.webhook, number }), env);
    if (opened.statusCode !== 202) throw new Error(`diff setup: webhook answered ${opened.statusCode} ${opened.body ?? ''}`);
    await consumeLast(world, (event) => handlers.handleGithubDeliveries(event, {} as Context, env), 'deliveries');
    notice = slack.messages.find((m) => !m.threadTs && new RegExp(`${REPOSITORY}#${number}(?!\\d)`).test(m.text));
  }
  if (!notice) throw new Error(`diff setup: no notice for #${number}`);
  const clickedAt = Date.now();
  const clicked = await handlers.handleSlackRequest(slackClickEvent(world.clickTemplate, { secret: SECRETS.signing, number, messageTs: notice.ts }), { env });
  if (clicked.statusCode !== 200) throw new Error(`diff setup: click answered ${clicked.statusCode}`);
  const sent = sqs.sent.length;
  await consumeLast(world, (event) => handlers.handleSlackRequests(event, {} as Context, env), 'Slack requests');
  if (sqs.sent.length !== sent + 1) {
    const said = [...slack.responses, ...slack.ephemerals].map((m) => JSON.stringify(m).slice(0, 400)).slice(-2);
    throw new Error(`diff setup: the click queued ${sqs.sent.length - sent} jobs; Slack was last told: ${said.join(' | ')}`);
  }
  const message = sqs.sent.at(-1);
  if (!message) throw new Error('unreachable');
  const eventFile = eventFileOf(work, number, headSha);
  // Whole or not at all: a warm child may be waiting for this file (warmSecondDiff).
  writeFileSync(`${eventFile}.part`, JSON.stringify(sqsEvent(message.body)));
  renameSync(`${eventFile}.part`, eventFile);
  return { eventFile, clickedAt };
}

const eventFileOf = (work: string, number: number, headSha: string) => join(work, `sqs-${number}-${headSha.slice(0, 7)}.json`);

/** Resolves once `file` exists (the warm child's word that a job is done). */
async function fileAppears(file: string, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > until) throw new Error(`diff warm: ${file} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The last report in the PR notice's thread says what flux found. */
function assertReported(world: World, number: number, stderr: string): void {
  const notice = world.slack.messages.find((m) => !m.threadTs && new RegExp(`${REPOSITORY}#${number}(?!\\d)`).test(m.text));
  const report = world.slack.messages.filter((m) => m.threadTs === notice?.ts).at(-1);
  if (!report || !/created/.test(`${report.text}${JSON.stringify(report.blocks ?? [])}`)) throw new Error(`diff: no report in the thread of #${number}\n${stderr}`);
}

/**
 * A second diff of the same PR after one new commit, on a warm worker (issue #20): one worker process gets
 * two jobs, the first at head A, the second after a push that changes one manifest (head B).
 * The second is queued once the first is done (a click while a diff of the same PR is queued queues none);
 * the child waits for its event file between the two, outside the timed handler calls.
 * Each job checks its commit out as a cold one would (file by file, from the 50 MB repository); when it
 * takes the tarball, the second brings the kept checkout to B: the fake GitHub's compare lists that file,
 * and its contents API serves it at B. The figure is the second job's overhead; the first job's is beside
 * it in results.json.
 */
async function warmSecondDiff(world: World, workerBundle: string, handlers: Handlers, tarballFile: string) {
  const { github, work } = world;
  const env = diffEnv(world);
  const runs: { overheadMs: number; firstOverheadMs: number; fluxMs: number; outboundMs: number; cpuMs: number }[] = [];
  for (let run = 0; run < SETTINGS.diffRuns; run++) {
    log(`diff overhead: warm second diff, run ${run + 1} of ${SETTINGS.diffRuns}`);
    const number = world.nextNumber++;
    const before = randomBytes(20).toString('hex');
    github.setTarball(REPOSITORY, before, readFileSync(tarballFile));
    const { eventFile: first, clickedAt: firstClickAt } = await queueDiffJob(world, handlers, env, number, before);
    github.git.readTarball(REPOSITORY, before);
    const after = randomBytes(20).toString('hex');
    const resultFile = join(work, `diff-warm-${number}.json`);
    const running = runChild([...cpuProfileFlags(`diff-warm-${run}`), ...heapProfileFlags(`diff-warm-${run}`), 'bench/children/diff.mjs', workerBundle, `${first},${eventFileOf(work, number, after)}`, resultFile, world.dynamoDbEndpoint], workerChildEnv(env), 300_000);
    const exitedEarly = running.then((c) => Promise.reject(new Error(`diff child exited ${c.code} before its second job:\n${c.stderr}`)));
    exitedEarly.catch(() => undefined);
    await Promise.race([fileAppears(`${resultFile}.0`), exitedEarly]);
    // The push: apps/app-0.yaml gets a new image at B, which the fake's compare lists and its contents API serves.
    const changed = 'apps/app-0.yaml';
    github.git.seedAt(REPOSITORY, after, { [changed]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-0\n  namespace: default\nspec:\n  replicas: 3\n' });
    github.setCompare(REPOSITORY, before, after, { behindBy: 0, aheadBy: 1, files: [{ filename: changed, status: 'modified' }] });
    // Served only if the worker falls back to downloading: the figure then shows it.
    github.setTarball(REPOSITORY, after, readFileSync(tarballFile));
    github.git.readTarball(REPOSITORY, after);
    // A second click on the same button within CLICK_WINDOW_SECONDS is a double click and queues nothing; a
    // user clicks again after the push, so wait that out (outside the timed handler calls). Counted from the
    // click itself, not from before the PR's notice was posted: when the notice took more than the 0.2 s of
    // margin and the first job was quick, the second click fell inside the window and was silently dropped
    // as a double click ("the click queued 0 jobs; Slack was last told:" with nothing after it).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstClickAt + (CLICK_WINDOW_SECONDS + 0.2) * 1000 - Date.now())));
    await queueDiffJob(world, handlers, env, number, after);
    const child = await running;
    if (child.code !== 0) throw new Error(`diff child exited ${child.code}:\n${child.stderr}`);
    const { jobs } = readJson<{ jobs: { totalMs: number; cpuMs: number; fluxMs: number; fluxRuns: number; outboundMs: number; batchItemFailures: unknown[]; trace?: unknown }[] }>(resultFile);
    const [one, two] = jobs;
    if (!one || !two || jobs.some((j) => j.batchItemFailures.length > 0 || j.fluxRuns !== 1)) throw new Error(`diff warm: ${JSON.stringify(jobs.map((j) => [j.fluxRuns, j.batchItemFailures]))}\n${child.stderr}`);
    if (process.env.BENCH_DIFF_TRACE) log(`diff trace, warm second #${number}: ${JSON.stringify(two.trace)}`);
    assertReported(world, number, child.stderr);
    const downloads = github.requests.filter((r) => r.path.includes(`/tarball/${after}`)).length;
    if (downloads > 0) log(`diff overhead: the warm second diff of #${number} downloaded the tarball: the kept checkout was not reused`);
    runs.push({ overheadMs: two.totalMs - two.fluxMs, firstOverheadMs: one.totalMs - one.fluxMs, fluxMs: two.fluxMs, outboundMs: two.outboundMs, cpuMs: two.cpuMs });
  }
  return {
    tarballMB: round(statSync(tarballFile).size / 2 ** 20, 1),
    overheadMs: round(median(runs.map((r) => r.overheadMs))),
    overheadMaxMs: round(Math.max(...runs.map((r) => r.overheadMs))),
    firstOverheadMs: round(median(runs.map((r) => r.firstOverheadMs))),
    fluxMs: round(median(runs.map((r) => r.fluxMs))),
    waitingOnFakesMs: round(median(runs.map((r) => r.outboundMs))),
    handlerCpuMs: round(median(runs.map((r) => r.cpuMs))),
    runs: runs.length,
  };
}

/**
 * The floor any checkout pays (issue #20): inflating the tarball once with zlib (bench/children/gunzip-floor.mjs).
 * In a fresh process, as the worker's job runs: measured in this one, beside the fakes' servers and the
 * in-process queues, the same inflate took about twice as long, which flattered every ratio.
 */
async function gunzipFloorMs(tarballFile: string, work: string): Promise<number> {
  const resultFile = join(work, `floor-${randomUUID()}.json`);
  const child = await runChild(['bench/children/gunzip-floor.mjs', tarballFile, resultFile], { PATH: process.env.PATH ?? '' });
  if (child.code !== 0) throw new Error(`gunzip floor: exited ${child.code}\n${child.stderr}`);
  return readJson<{ floorMs: number }>(resultFile).floorMs;
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
 * (incompressible files just under 1 MiB) making up the size. No kustomization names the archives, so
 * the checkout leaves them out (lib/flows/diffs/flux-inputs.ts); they still stream through gunzip and tar.
 * Returns its size in bytes.
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
