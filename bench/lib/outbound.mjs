// Time spent waiting on other processes (DynamoDB Local, the HTTP fakes), seen from the client side
// through Node's diagnostics channels: node:http requests (AWS SDK, Slack's axios) and fetch (Octokit).
// Each outbound request is an interval from its start to the end of its response body; a request's
// own work is its wall time minus the union of these intervals (they may overlap).
import { subscribe } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

/** Intervals since the last take(): { start, end, target } with target 'dynamodb' or 'fakes'. */
let intervals = [];
let dynamoPort = '';

export function watchOutbound({ dynamoDbEndpoint }) {
  dynamoPort = new URL(dynamoDbEndpoint).port;
  const targetOf = (port) => (String(port) === dynamoPort ? 'dynamodb' : 'fakes');

  subscribe('http.client.request.start', ({ request }) => {
    const start = performance.now();
    const host = String(request.getHeader('host') ?? '');
    const target = targetOf(host.split(':')[1] ?? '');
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      intervals.push({ start, end: performance.now(), target, label: `${request.method} ${request.path}` });
    };
    request.once('response', (response) => {
      response.once('end', finish);
      response.once('close', finish);
    });
    request.once('error', finish);
  });

  const pending = new Map();
  subscribe('undici:request:create', ({ request }) => pending.set(request, { start: performance.now(), target: targetOf(new URL(request.origin).port), label: `${request.method} ${request.path}` }));
  const end = ({ request }) => {
    const open = pending.get(request);
    if (!open) return;
    pending.delete(request);
    intervals.push({ ...open, end: performance.now() });
  };
  subscribe('undici:request:trailers', end);
  subscribe('undici:request:error', end);
}

/** Milliseconds waited on each target and in all (the union) within [from, to]; clears the record. */
export function takeOutbound(from, to) {
  const within = intervals.map((i) => ({ ...i, start: Math.max(i.start, from), end: Math.min(i.end, to) })).filter((i) => i.end > i.start);
  intervals = [];
  const trace = within.map((i) => ({ label: i.label, target: i.target, startMs: Math.round(i.start - from), ms: Math.round(i.end - i.start) }));
  const union = (list) => {
    let total = 0;
    let reach = -Infinity;
    for (const { start, end } of [...list].sort((a, b) => a.start - b.start)) {
      if (end <= reach) continue;
      total += end - Math.max(start, reach);
      reach = end;
    }
    return total;
  };
  return {
    dynamodb: union(within.filter((i) => i.target === 'dynamodb')),
    fakes: union(within.filter((i) => i.target === 'fakes')),
    all: union(within),
    calls: within.length,
    trace,
  };
}
