// One cold start: a fresh Node process loads a bundle and serves one signed request.
//
//   node bench/children/cold.mjs <bundle> <spec.json> <number> <result.json>
//
// Times are performance.now() readings: milliseconds since this process started (Node's timeOrigin),
// so `total` includes Node's own bootstrap, which is the same for every bundle.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { lambdaContext, requestFor } from '../lib/requests.mjs';

const bootstrapped = performance.now();
const [bundle, specFile, number, resultFile] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
const event = requestFor(spec, Number(number));
const ready = performance.now();

const loadStart = performance.now();
const mod = bundle.endsWith('.cjs') ? createRequire(import.meta.url)(bundle) : await import(pathToFileURL(bundle).href);
const loaded = performance.now();
const response = await mod.handler(event, lambdaContext);
const answered = performance.now();

writeFileSync(
  resultFile,
  JSON.stringify({ bootstrap: bootstrapped, load: loaded - loadStart, firstRequest: answered - loaded, total: answered - (ready - bootstrapped), status: response?.statusCode, body: String(response?.body ?? '').slice(0, 300) }),
);
// A Lambda container would be frozen here; keep-alive sockets and timers must not keep us waiting.
process.exit(0);
