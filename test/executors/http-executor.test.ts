// HTTP executors (issue #19 points 5 and 6) against a real local server that checks the signature as a
// team's executor would, from the published schema alone: what is sent, and what the thread shows when
// the executor fails, hangs, answers garbage or too much.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../lib/core/config';
import { executorRequestSchema } from '../../lib/core/executors';
import { startBlackHole, startStalledBody, type BlackHole } from '../fakes/black-hole';
import { json, startFakeExecutorEndpoint, type FakeExecutorEndpoint } from '../fakes/executor-endpoint';
import { closedPort } from '../helpers/world';
import { executeThenReport, executorJob, recordingSlack } from '../helpers/executor-jobs';
import { freshStore } from '../helpers/store';

const SECRET = 'runbooks-shared-secret-0123456789abcdef';
const SECRET_PARAM = '/fluxline/executors/runbooks';
/** What the worker holds and must never send: its own credentials, in the environment as Lambda has them. */
const WORKER_SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1111-2222-workerbottoken',
  GITHUB_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIworkerkey\n-----END RSA PRIVATE KEY-----',
  AWS_ACCESS_KEY_ID: 'ASIAWORKERKEY0000000',
  AWS_SECRET_ACCESS_KEY: 'workerSecretAccessKey/0000000000000000000',
  AWS_SESSION_TOKEN: 'IQoJworkersessiontoken',
};

const configFor = (url: string, extra = '', secret = `{ ssm: ${SECRET_PARAM} }`) =>
  parseConfig(
    `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0OPS: { clusters: [stage], executors: [runbooks] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
  runbooks: { http: { url: "${url}", secret: ${secret}${extra} }, config: { team: sre } }
`,
    'config.yaml',
  );

/** Runs the job as the worker does (runJob keeps the first line of a failure) and returns what the thread shows. */
async function runInWorker(config: Config, args: string[], limits: { connectTimeoutMs?: number; timeoutMs?: number; maxResponseBytes?: number } = {}, env: Record<string, string> = {}) {
  const recording = recordingSlack();
  const deps = {
    config,
    store: await freshStore(),
    readParameter: (name: string) => (name === SECRET_PARAM ? Promise.resolve(SECRET) : Promise.reject(new Error(`no parameter ${name}`))),
    env: { ...WORKER_SECRETS, ...env },
    remoteLimits: { timeoutMs: 2_000, ...limits },
    ...recording,
  };
  const error = await executeThenReport(deps, executorJob('runbooks', args, { name: 'ada' }));
  return { error, shown: JSON.stringify(recording.updates), updates: recording.updates };
}

describe('HTTP executors', () => {
  let endpoint: FakeExecutorEndpoint;
  beforeAll(async () => {
    endpoint = await startFakeExecutorEndpoint(SECRET);
  });
  afterEach(() => {
    endpoint.answer((request, res) => (request.signatureValid ? json(res, 200, { blocks: [{ type: 'text', text: 'ok' }] }) : json(res, 401, { error: 'bad signature' })));
  });
  afterAll(async () => endpoint.stop());

  it('sends a signed request that matches executor-request.schema.json and shows the answer in the thread', async () => {
    // Prepare
    endpoint.answer((request, res) => json(res, 200, { blocks: [{ type: 'section', text: 'Runbook' }, { type: 'code', text: `valid=${request.signatureValid}` }] }));

    // Act
    const { error, shown } = await runInWorker(configFor(endpoint.url), ['restart', 'podinfo']);

    // Assess
    expect(error).toBeUndefined();
    const request = endpoint.received.at(-1);
    expect(request?.signatureValid).toBe(true);
    const body = executorRequestSchema().parse(JSON.parse(request?.body ?? '{}'));
    expect(body).toMatchObject({ protocol: 'fluxline.executor/v1', executor: 'runbooks', args: ['restart', 'podinfo'], configs: [{ team: 'sre' }], requester: { user: 'U0ADMIN', name: 'ada' }, channel: 'C0OPS' });
    expect(shown).toContain('valid=true');
  });

  it("signs with the variable that `secret: { env }` names when run by npm start without SSM, and never reads SSM for it", async () => {
    // Prepare
    const config = configFor(endpoint.url, '', '{ env: FLUXLINE_EXECUTOR_RUNBOOKS }');

    // Act
    const { error } = await runInWorker(config, ['status'], {}, { FLUXLINE_EXECUTOR_RUNBOOKS: SECRET });
    const unset = await runInWorker(config, ['status']);

    // Assess
    expect(error).toBeUndefined();
    expect(endpoint.received.at(-1)?.signatureValid).toBe(true);
    expect(unset.error?.message).toMatch(/^runbooks has no shared secret: FLUXLINE_EXECUTOR_RUNBOOKS is not set/);
    expect(unset.shown).toContain('FLUXLINE_EXECUTOR_RUNBOOKS is not set');
  });

  it('is refused by the executor when signed with another secret, and the thread says so without the body', async () => {
    // Prepare: the executor knows another secret than the one in SSM
    const other = await startFakeExecutorEndpoint('a-different-secret-entirely');
    try {
      // Act
      const { error, shown } = await runInWorker(configFor(other.url), ['restart']);

      // Assess
      expect(other.received[0]?.signatureValid).toBe(false);
      expect(error?.message).toBe('runbooks answered HTTP 401; its own logs say why.');
      expect(shown).toContain('runbooks answered HTTP 401');
      expect(shown).not.toContain('bad signature');
    } finally {
      await other.stop();
    }
  });

  it('never sends the worker’s Slack, GitHub or AWS credentials, nor the shared secret itself', async () => {
    await runInWorker(configFor(endpoint.url), ['whoami']);

    const request = endpoint.received.at(-1);
    const sent = JSON.stringify(request);
    for (const value of [...Object.values(WORKER_SECRETS), SECRET]) expect(sent).not.toContain(value);
    expect(Object.keys(request?.headers ?? {}).sort()).toEqual(['accept', 'connection', 'content-length', 'content-type', 'host', 'user-agent', 'x-fluxline-request-timestamp', 'x-fluxline-signature']);
  });

  it('masks the shared secret and known token shapes in the answer, and escapes mentions', async () => {
    endpoint.answer((_request, res) => json(res, 200, { blocks: [{ type: 'text', text: `secret=${SECRET} token=xoxb-9999-8888-leaked <!channel>` }] }));

    const { shown } = await runInWorker(configFor(endpoint.url), ['leak']);

    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain('xoxb-9999-8888-leaked');
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain('&lt;!channel&gt;');
  });

  it('gives up on an executor that accepts the connection and never answers, in plain words', async () => {
    const hole: BlackHole = await startBlackHole();
    try {
      const { error, shown } = await runInWorker(configFor(`${hole.url}/run`), ['hang'], { timeoutMs: 300 });

      expect(error?.message).toBe('runbooks did not answer within 0.3 s.');
      expect(shown).toContain('runbooks restart failed'.replace('restart', 'hang'));
      expect(hole.connections()).toBe(1);
    } finally {
      await hole.stop();
    }
  });

  it('gives up on an https executor whose TLS handshake never completes, by the connect timeout', async () => {
    // Prepare: TCP is accepted and nothing ever answers the ClientHello
    const hole = await startBlackHole();
    try {
      // Act
      const { error } = await runInWorker(configFor(`${hole.url.replace('http:', 'https:')}/run`), ['hang'], { connectTimeoutMs: 200, timeoutMs: 10_000 });

      // Assess
      expect(error?.message).toBe('runbooks did not accept a connection within 0.2 s.');
      expect(hole.connections()).toBe(1);
    } finally {
      await hole.stop();
    }
  });

  it('gives up on an executor that starts an answer and stalls', async () => {
    const stalled = await startStalledBody({ 'content-type': 'application/json' }, Buffer.from('{"blocks":['));
    try {
      const { error } = await runInWorker(configFor(`${stalled.url}/run`), ['stall'], { timeoutMs: 300 });

      expect(error?.message).toBe('runbooks did not answer within 0.3 s.');
    } finally {
      await stalled.stop();
    }
  });

  it.each([
    ['a declared length over the cap', { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) }],
    ['a chunked answer that grows past the cap', { 'content-type': 'application/json' }],
  ])('stops reading an oversized answer: %s', async (_case, headers) => {
    // Prepare: 2 MiB of a valid-looking message
    endpoint.answer((_request, res) => {
      res.writeHead(200, headers);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < 32 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end();
      };
      more();
    });

    // Act
    const { error, shown } = await runInWorker(configFor(endpoint.url), ['big'], { maxResponseBytes: 64 * 1024 });

    // Assess
    expect(error?.message).toBe('runbooks answered more than 64 KiB, the most Fluxline reads; make the answer shorter.');
    expect(shown).toContain('runbooks answered more than 64 KiB');
  });

  it.each([
    ['not JSON', 'text/html', '<html><body>Traceback (most recent call last): File "app.py"</body></html>', 'runbooks answered something that is not JSON'],
    ['JSON that is not a message', 'application/json', JSON.stringify({ result: 'done', stack: 'at handler (app.js:1:1)' }), 'runbooks answered JSON that is not an executor message (blocks:'],
    ['a block of no known type', 'application/json', JSON.stringify({ blocks: [{ type: 'html', text: '<script>' }] }), 'runbooks answered JSON that is not an executor message (blocks.0'],
  ])('refuses a malformed answer (%s) in one plain line, without its text', async (_case, type, body, said) => {
    endpoint.answer((_request, res) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    });

    const { error, shown } = await runInWorker(configFor(endpoint.url), ['garbage']);

    expect(error?.message).toContain(said);
    expect(shown).not.toContain('Traceback');
    expect(shown).not.toContain('app.js');
    expect(shown).not.toContain('<script>');
  });

  it('tells a 500 with a stack trace as its status only', async () => {
    endpoint.answer((_request, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Error: boom\n    at handler (/srv/app.js:10:5)');
    });

    const { error, shown } = await runInWorker(configFor(endpoint.url), ['boom']);

    expect(error?.message).toBe('runbooks answered HTTP 500; its own logs say why.');
    expect(shown).not.toContain('app.js');
  });

  it('does not follow a redirect (it could point the worker at the metadata service)', async () => {
    // Prepare: a second server that would answer a valid message, and the executor redirecting to it
    const target = await startFakeExecutorEndpoint(SECRET);
    endpoint.answer((_request, res) => {
      res.writeHead(307, { location: target.url });
      res.end();
    });
    try {
      // Act
      const { error } = await runInWorker(configFor(endpoint.url), ['redirect']);

      // Assess
      expect(error?.message).toBe('runbooks answered with a redirect (HTTP 307), which Fluxline does not follow: configure the final URL.');
      expect(target.received).toHaveLength(0);
    } finally {
      await target.stop();
    }
  });

  it('says in plain words that an executor cannot be reached', async () => {
    const { error } = await runInWorker(configFor(`http://127.0.0.1:${await closedPort()}/run`), ['down']);

    expect(error?.message).toBe('runbooks could not be reached (ECONNREFUSED).');
  });

  it('takes the total timeout from config.yaml (timeoutSeconds)', async () => {
    const hole = await startBlackHole();
    try {
      const { error } = await runInWorker(configFor(`${hole.url}/run`, ', timeoutSeconds: 1'), ['hang'], { timeoutMs: 60_000 });

      expect(error?.message).toBe('runbooks did not answer within 1 s.');
    } finally {
      await hole.stop();
    }
  });
});
