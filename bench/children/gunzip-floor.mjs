// The gunzip floor of issue #20, in a fresh process like the worker's (bench/phases/diff.ts): inflating the
// tarball once with zlib, fed in the 64 KiB pieces a socket hands over, to a sink that drops the bytes.
// Median of 5 after one warm-up, written as JSON to the result file.
//
//   node bench/children/gunzip-floor.mjs <tarball> <result.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

const [tarballFile, resultFile] = process.argv.slice(2);
const tarball = readFileSync(tarballFile);
const pieces = Array.from({ length: Math.ceil(tarball.length / 65_536) }, (_, i) => tarball.subarray(i * 65_536, (i + 1) * 65_536));
const once = async () => {
  const start = performance.now();
  // 1 MiB out per zlib call: inflating in Node's default 16 KiB steps adds a trip to libuv's pool per step,
  // which tripled this figure (~300 ms at 50 MB against ~100) and made it no floor: the worker's own
  // checkout inflates in 128 KiB steps and was measured below it.
  await pipeline(Readable.from(pieces), createGunzip({ chunkSize: 2 ** 20 }), new Writable({ write: (_chunk, _encoding, done) => done() }));
  return performance.now() - start;
};
await once();
const times = [];
for (let i = 0; i < 5; i++) times.push(await once());
times.sort((a, b) => a - b);
writeFileSync(resultFile, JSON.stringify({ floorMs: times[2] }));
