// A Fluxline HTTP executor in plain Node.js, no dependencies: written from docs/executors/ alone
// (executor-request.schema.json in, executor-message.schema.json out), as a team would write one in Go or
// Python. It serves runbooks: `/flux runbooks list`, `/flux runbooks show NAME`, `/flux runbooks help`.
//
//   FLUXLINE_EXECUTOR_SECRET=… PORT=8080 node examples/executor-node/executor.mjs
//
// Put it behind HTTPS and give Fluxline its URL and the same secret:
//   executors: { runbooks: { http: { url: https://runbooks.internal/fluxline, secret: { ssm: /fluxline/prod/executors/runbooks }, mutating: false } } }
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/** Fluxline signs `v0:<timestamp>:<raw body>`; a request signed more than this long ago (or ahead) is a replay. */
const MAX_SKEW_SECONDS = 300;
/** Fluxline's requests are small; refuse anything larger before reading it all. */
const MAX_REQUEST_BYTES = 64 * 1024;

const RUNBOOKS = {
  'restart-podinfo': 'kubectl -n podinfo rollout restart deployment/podinfo\nkubectl -n podinfo rollout status deployment/podinfo',
  'flush-cache': 'redis-cli -h cache.internal FLUSHDB',
};

/** Whether the signature headers match the raw body under `secret`, within the replay window. */
export function verifySignature(secret, headers, rawBody, nowSeconds = Math.floor(Date.now() / 1000)) {
  const timestamp = headers['x-fluxline-request-timestamp'];
  const signature = headers['x-fluxline-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The answer to one request: an executor message (executor-message.schema.json). */
export function answer(request) {
  const [verb = 'help', name] = request.args;
  if (verb === 'list') {
    const names = Object.keys(RUNBOOKS);
    return {
      blocks: [
        { type: 'section', text: 'Runbooks' },
        { type: 'table', header: ['NAME', 'STEPS'], rows: names.map((runbook) => [runbook, String(RUNBOOKS[runbook].split('\n').length)]) },
        { type: 'select', placeholder: 'Show a runbook', options: names.map((runbook) => ({ label: runbook, command: `${request.executor} show ${runbook}` })) },
      ],
    };
  }
  if (verb === 'show' && name && Object.hasOwn(RUNBOOKS, name)) {
    return { blocks: [{ type: 'section', text: `Runbook ${name}` }, { type: 'code', text: RUNBOOKS[name] }, { type: 'text', text: `Asked by ${request.requester.user} in ${request.channel}.` }] };
  }
  if (verb === 'show') return { blocks: [{ type: 'text', text: `No runbook ${name ?? '(none given)'}. Try \`${request.executor} list\`.` }] };
  return {
    blocks: [
      { type: 'section', text: `${request.executor} list | show NAME` },
      { type: 'buttons', buttons: [{ label: 'List runbooks', command: `${request.executor} list` }] },
    ],
  };
}

function reply(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The executor as an HTTP server; `secret` is the value Fluxline reads from its SSM parameter. */
export function createExecutorServer(secret) {
  if (!secret) throw new Error('FLUXLINE_EXECUTOR_SECRET is not set: use the value of the SSM parameter in config.yaml');
  return createServer((req, res) => {
    if (req.method !== 'POST') return reply(res, 405, { error: 'POST only' });
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reply(res, 413, { error: 'request too large' });
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      const raw = Buffer.concat(chunks);
      // Verify before parsing: nothing of an unsigned body is looked at.
      if (!verifySignature(secret, req.headers, raw)) return reply(res, 401, { error: 'bad signature' });
      let request;
      try {
        request = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply(res, 400, { error: 'not JSON' });
      }
      if (request?.protocol !== 'fluxline.executor/v1' || !Array.isArray(request.args)) return reply(res, 400, { error: 'not a fluxline.executor/v1 request' });
      reply(res, 200, answer(request));
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = createExecutorServer(process.env.FLUXLINE_EXECUTOR_SECRET);
  server.listen(Number(process.env.PORT ?? 8080), process.env.HOST ?? '127.0.0.1', () => {
    const { address, port } = server.address();
    console.log(`executor listening on http://${address}:${port}`);
  });
}
