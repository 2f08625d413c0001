// Flux diff jobs in a fresh worker process: loads the worker bundle and hands it one SQS record, as
// Lambda would; with several event files (comma-separated), one after the other in the same process, as a
// warm Lambda container gets them (the result is then per job, under `jobs`). Times the handler call and, separately, the flux process (from spawn to exit, through
// a wrapper around child_process.spawn), and reads the process's peak RSS afterwards.
//
//   node bench/children/diff.mjs <worker bundle> <sqs-event.json>[,<sqs-event.json>…] <result.json> <dynamoDbEndpoint>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { takeOutbound, watchOutbound } from '../lib/outbound.mjs';

const [bundle, eventFiles, resultFile, dynamoDbEndpoint] = process.argv.slice(2);

/**
 * This process's own peak RSS: VmHWM of its address space. Not resourceUsage().maxRSS, which Linux carries
 * over from the parent at fork + exec (signal->maxrss), so it reported the bench process's RSS at spawn
 * time, tarballs and fakes included, and grew with the tarball whatever the worker did.
 */
function peakRssKB() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // Not Linux: fall back below.
  }
  return process.resourceUsage().maxRSS;
}

// The bundle imports spawn from node:child_process; builtins' ES module exports follow their CommonJS
// object once syncBuiltinESMExports() is called, so this wrapper is what it gets.
const childProcess = createRequire(import.meta.url)('node:child_process');
const originalSpawn = childProcess.spawn;
let fluxMs = 0;
let fluxRuns = 0;
const spawns = [];
childProcess.spawn = function spawn(file, args, ...rest) {
  const calling = performance.now();
  const child = originalSpawn.call(this, file, args, ...rest);
  const spawned = performance.now();
  // spawnMs: how long the spawn call itself held this process (fork and exec happen inside it, synchronously).
  child.once('exit', () => spawns.push({ label: `${file} ${(Array.isArray(args) ? args : []).slice(0, 2).join(' ')}`, startMs: Math.round(spawned - start), ms: Math.round(performance.now() - spawned), spawnMs: Math.round((spawned - calling) * 10) / 10 }));
  // flux's own time is its work on the diff: `flux diff`, and `flux build` of the objects it reports created
  // (their content, issue #22). `flux version --client` is bookkeeping Fluxline asks for, and is overhead.
  if (file === process.env.FLUX_BIN && Array.isArray(args) && (args[0] === 'diff' || args[0] === 'build')) {
    if (args[0] === 'diff') fluxRuns++;
    const started = performance.now();
    child.once('exit', () => (fluxMs += performance.now() - started));
  }
  return child;
};
syncBuiltinESMExports();
watchOutbound({ dynamoDbEndpoint });

let start = 0;
const loadStart = performance.now();
const mod = await import(pathToFileURL(bundle).href);
const loadMs = performance.now() - loadStart;
const context = { functionName: 'worker', awsRequestId: 'bench', getRemainingTimeInMillis: () => 360_000 };
const jobs = [];
for (const [index, eventFile] of eventFiles.split(',').entries()) {
  // A warm second job is queued by the parent once the first is done (the `.<index>` files below).
  // The bench that would write it may have failed meanwhile: a child whose parent is gone stops waiting,
  // rather than polling on after the bench (and its kill timer) exited.
  const parent = process.ppid;
  while (!existsSync(eventFile)) {
    if (process.ppid !== parent) process.exit(3);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const event = JSON.parse(readFileSync(eventFile, 'utf8'));
  fluxMs = 0;
  fluxRuns = 0;
  spawns.length = 0;
  takeOutbound(0, 0);
  start = performance.now();
  const cpuBefore = process.cpuUsage();
  const response = await mod.handler(event, context);
  const end = performance.now();
  // This process's CPU in the handler call (its threads too: gunzip, fs), which other processes on the machine do not inflate as they do wall time.
  const cpu = process.cpuUsage(cpuBefore);
  const outbound = takeOutbound(start, end);
  writeFileSync(`${resultFile}.${index}`, 'done');
  // The archive's download from the (fake) archive host, from its request to the last byte read by the
  // extraction: downloading, inflating and writing the checkout, all in one stream.
  const archive = outbound.trace.filter((t) => /\/legacy\.tar\.gz\//.test(t.label));
  const archiveMs = archive.reduce((sum, t) => sum + t.ms, 0);
  // How the commit was checked out: its tarball, or file by file (a tree listing, then contents calls).
  const tarballs = archive.length;
  const contentsCalls = outbound.trace.filter((t) => /\/contents\//.test(t.label)).length;
  jobs.push({ tarballs, contentsCalls, trace: process.env.BENCH_DIFF_TRACE ? { outbound: outbound.trace, spawns: [...spawns] } : undefined, archiveMs, totalMs: end - start, cpuMs: (cpu.user + cpu.system) / 1000, fluxMs, fluxRuns, outboundMs: outbound.all, batchItemFailures: response?.batchItemFailures ?? [] });
}
writeFileSync(resultFile, JSON.stringify({ ...jobs[0], jobs, loadMs, maxRssKB: peakRssKB() }));
process.exit(0);
