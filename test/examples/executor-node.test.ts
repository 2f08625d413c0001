// The sample executor of examples/executor-node, run as its README says (a real process and port), and
// spoken to twice: by Fluxline's own client, and by a request built and signed from the published
// schema's words alone (what a team writing one in Go or Python has).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorMessageSchema, executorRequestSchema, type ExecutorRequest } from '../../lib/core/executors';
import { callHttpExecutor } from '../../lib/adapters/executors-remote';

const SECRET = 'sample-executor-secret-0123456789';
const EXAMPLE = resolve(import.meta.dirname, '../../examples/executor-node/executor.mjs');
const REQUEST_SCHEMA = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/executors/executor-request.schema.json'), 'utf8')) as { description: string; required: string[] };

const request = (args: string[]): ExecutorRequest => ({ protocol: 'fluxline.executor/v1', executor: 'runbooks', requestId: 'job-1', args, configs: [{}], requester: { user: 'U0ADMIN' }, channel: 'C0OPS' });

/** Signs as the schema's description says: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>">. */
function signedHeaders(body: string, secret = SECRET, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-fluxline-request-timestamp': String(timestamp),
    'x-fluxline-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  };
}

describe('examples/executor-node', () => {
  let child: ChildProcess;
  let url = '';
  beforeAll(async () => {
    child = spawn(process.execPath, [EXAMPLE], { env: { PATH: process.env.PATH ?? '', FLUXLINE_EXECUTOR_SECRET: SECRET, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) done(match[1]);
      });
      child.on('exit', (code) => fail(new Error(`the example exited with ${String(code)}`)));
    });
  });
  afterAll(() => {
    child.kill();
  });

  it('the published request schema says how to sign, in words a team can follow', () => {
    expect(REQUEST_SCHEMA.description).toContain('X-Fluxline-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>"');
    expect(REQUEST_SCHEMA.required).toEqual(['protocol', 'executor', 'requestId', 'args', 'configs', 'requester', 'channel']);
  });

  it("answers Fluxline's own signed request with a valid executor message", async () => {
    const answer = await callHttpExecutor({ executor: 'runbooks', url, secret: SECRET, body: JSON.stringify(request(['list'])) });

    expect(answer.blocks.map((block) => block.type)).toEqual(['section', 'table', 'select']);
  });

  it('accepts a request signed from the schema alone and answers the schema', async () => {
    const body = JSON.stringify(executorRequestSchema().parse(request(['show', 'restart-podinfo'])));

    const res = await fetch(url, { method: 'POST', headers: signedHeaders(body), body });

    expect(res.status).toBe(200);
    const message = executorMessageSchema.parse(await res.json());
    expect(message.blocks[1]).toEqual({ type: 'code', text: expect.stringContaining('rollout restart deployment/podinfo') });
  });

  it.each([
    ['signed with another secret', (body: string) => ({ body, headers: signedHeaders(body, 'another-secret') })],
    ['a body changed after signing', (body: string) => ({ body: body.replace('list', 'show'), headers: signedHeaders(body) })],
    ['a replay from ten minutes ago', (body: string) => ({ body, headers: signedHeaders(body, SECRET, Math.floor(Date.now() / 1000) - 600) })],
    ['no signature at all', (body: string) => ({ body, headers: { 'content-type': 'application/json' } })],
  ])('refuses %s with 401', async (_case, make) => {
    const { body, headers } = make(JSON.stringify(request(['list'])));

    const res = await fetch(url, { method: 'POST', headers, body });

    expect(res.status).toBe(401);
  });
});
