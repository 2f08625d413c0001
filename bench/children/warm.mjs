// Warm latency: one process loads a bundle, serves `warmup` requests, then times `count` more, one at a
// time, each a new signed request (a new PR, a new click). For each: wall time of the handler call and,
// from the client side, time spent waiting on DynamoDB Local and on the HTTP fakes.
//
//   node bench/children/warm.mjs <bundle> <spec.json> <firstNumber> <warmup> <count> <result.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { takeOutbound, watchOutbound } from '../lib/outbound.mjs';
import { lambdaContext, requestFor } from '../lib/requests.mjs';

const [bundle, specFile, firstNumber, warmup, count, resultFile] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specFile, 'utf8'));
watchOutbound({ dynamoDbEndpoint: spec.dynamoDbEndpoint });
const mod = bundle.endsWith('.cjs') ? createRequire(import.meta.url)(bundle) : await import(pathToFileURL(bundle).href);

const samples = [];
const statuses = {};
let number = Number(firstNumber);
for (let i = 0; i < Number(warmup) + Number(count); i++) {
  const event = requestFor(spec, number++);
  takeOutbound(0, 0);
  const start = performance.now();
  const response = await mod.handler(event, lambdaContext);
  const end = performance.now();
  const waited = takeOutbound(start, end);
  statuses[response?.statusCode] = (statuses[response?.statusCode] ?? 0) + 1;
  if (i >= Number(warmup)) samples.push({ total: end - start, dynamodb: waited.dynamodb, fakes: waited.fakes, own: end - start - waited.all, calls: waited.calls });
}
writeFileSync(resultFile, JSON.stringify({ samples, statuses }));
process.exit(0);
