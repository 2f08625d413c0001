// npm run bench: Fluxline side by side with Probot and Bolt, measured in one run on this machine
// (bench/README.md explains each figure). Prints one table and writes bench/results.json.
//
// Knobs: BENCH_COLD_RUNS=20 BENCH_WARM_REQUESTS=2000 BENCH_BURST=1000 BENCH_OUTAGE_SECONDS=30
// BENCH_OUTAGE_DELIVERIES=300 BENCH_DIFF_RUNS=3 BENCH_DIFF_SIZES_MB=5,50
// BENCH_SKIP=cold,warm,burst,outage,diff (phases to leave out)
// BENCH_CPU_PROF=<dir> (V8 CPU profiles of the cold-start and warm-latency processes).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SETTINGS, WARMUP, log } from './lib/settings';
import { round } from './lib/stats';
import { root, startWorld } from './lib/world';
import { buildBundles } from './phases/bundle';
import { burst } from './phases/burst';
import { coldInit } from './phases/cold';
import { diffOverhead } from './phases/diff';
import { outage } from './phases/outage';
import { warmLatency } from './phases/warm';
import { table, type Results } from './table';

async function main() {
  const benchStarted = performance.now();
  // The diff phase drives the handlers' sources in this process to set up each job: keep their logs
  // (lib/core/log reads LOG_LEVEL at import) out of the table. The functions under test log at INFO as deployed.
  const benchLogLevel = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = 'SILENT';
  const handlers = {
    ...(await import('../functions/github-webhook')),
    ...(await import('../functions/github-deliveries')),
    ...(await import('../functions/slack')),
    ...(await import('../functions/slack-requests')),
  };
  const work = mkdtempSync(join(tmpdir(), 'fluxline-bench-'));
  const { skip } = SETTINGS;
  const built = buildBundles();
  const results: Results & Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}/${process.arch}` },
    settings: { coldRuns: SETTINGS.coldRuns, warmRequests: SETTINGS.warmRequests, warmup: WARMUP, burst: SETTINGS.burst, outageSeconds: SETTINGS.outageSeconds, outageDeliveries: SETTINGS.outageDeliveries, diffRuns: SETTINGS.diffRuns, diffSizesMB: SETTINGS.diffSizesMB },
    bundles: built.bundles,
  };
  const world = await startWorld(work, built.file);
  try {
    if (!skip.has('cold')) results.coldInit = await coldInit(world);
    if (!skip.has('warm')) results.warmLatency = await warmLatency(world);
    if (!skip.has('burst')) results.burst = await burst(world, { logLevel: benchLogLevel });
    if (!skip.has('outage')) results.outage = await outage(world, { logLevel: benchLogLevel });
    // BENCH_DIFF_BUNDLE=<file>: the diff phase runs another worker bundle (a saved build, for an A/B on the same machine).
    if (!skip.has('diff')) results.diffOverhead = (await diffOverhead(world, process.env.BENCH_DIFF_BUNDLE ?? built.file('worker'), handlers)) as Results['diffOverhead'];
  } finally {
    await world.stop();
    rmSync(work, { recursive: true, force: true });
  }
  results.benchSeconds = round((performance.now() - benchStarted) / 1000);
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(table(results));
  log(`wrote bench/results.json in ${results.benchSeconds as number} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log((err as Error).stack ?? String(err));
    process.exit(1);
  },
);
