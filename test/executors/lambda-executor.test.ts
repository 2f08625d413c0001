// Lambda executors (issue #19 point 5): invoked by the worker through a faithful fake of Lambda's Invoke
// API (SigV4 checked), with Lambda's own failure shapes: a function error, a throttle, an outage.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import { executorRequestSchema } from '../../lib/core/executors';
import { FAKE_AWS_KEY, fakeAwsEnv } from '../fakes/aws-signature';
import { startBlackHole } from '../fakes/black-hole';
import { startFakeLambda, type FakeLambda } from '../fakes/lambda';
import { executeThenReport, executorJob, recordingSlack } from '../helpers/executor-jobs';
import { freshStore } from '../helpers/store';

const ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:fluxline-ops';

const configText = (mutating: boolean) => `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0OPS: { clusters: [stage], executors: [ops-fn] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
  ops-fn: { lambda: { arn: '${ARN}', mutating: ${mutating} }, config: { region: eu } }
`;


describe('Lambda executors', () => {
  let lambda: FakeLambda;
  beforeAll(async () => {
    lambda = await startFakeLambda();
  });
  beforeEach(() => {
    lambda.invocations.length = 0;
    lambda.deploy(ARN, (event) => ({ blocks: [{ type: 'text', text: `args=${JSON.stringify((event as { args: string[] }).args)}` }] }));
  });
  afterAll(async () => lambda.stop());

  async function runInWorker(args: string[], options: { endpoint?: string; mutating?: boolean } = {}) {
    const { slack, updates } = recordingSlack();
    const store = await freshStore();
    const deps = {
      config: parseConfig(configText(options.mutating ?? false), 'config.yaml'),
      store,
      readParameter: () => Promise.reject(new Error('a Lambda executor reads no parameter')),
      env: { ...fakeAwsEnv(), AWS_ENDPOINT_URL_LAMBDA: options.endpoint ?? lambda.url, SLACK_BOT_TOKEN: 'xoxb-1111-2222-workerbottoken' },
      remoteLimits: { timeoutMs: 2_000, throttleRetryMs: 10 },
      slack,
    };
    const error = await executeThenReport(deps, executorJob('ops-fn', args));
    return { error, shown: JSON.stringify(updates), store };
  }

  it('invokes the function with the request as its event, signed with the worker’s role, and shows its answer', async () => {
    const { error, shown } = await runInWorker(['drain', 'node-1']);

    expect(error).toBeUndefined();
    expect(lambda.invocations).toHaveLength(1);
    const [invocation] = lambda.invocations;
    expect(invocation).toMatchObject({ functionName: ARN, invocationType: 'RequestResponse', signed: true });
    expect(executorRequestSchema().parse(invocation?.event)).toMatchObject({ executor: 'ops-fn', args: ['drain', 'node-1'], configs: [{ region: 'eu' }], requester: { user: 'U0ADMIN' }, channel: 'C0OPS' });
    expect(shown).toContain('args=');
    expect(shown).toContain('node-1');
  });

  it('gives the function nothing of the worker’s credentials', async () => {
    await runInWorker(['whoami']);

    const event = JSON.stringify(lambda.invocations[0]?.event);
    for (const secret of [FAKE_AWS_KEY.secretAccessKey, FAKE_AWS_KEY.sessionToken ?? '', FAKE_AWS_KEY.accessKeyId, 'xoxb-1111-2222-workerbottoken']) expect(event).not.toContain(secret);
  });

  it('tells a function error by its type and first line, never its stack trace', async () => {
    lambda.deploy(ARN, () => {
      throw new TypeError("Cannot read properties of undefined (reading 'node')\n    at drain (/var/task/index.mjs:12:3)");
    });

    const { error, shown } = await runInWorker(['drain']);

    expect(error?.message).toBe("ops-fn (Lambda) failed: TypeError: Cannot read properties of undefined (reading 'node').");
    expect(shown).not.toContain('/var/task');
  });

  it('retries a throttle once (Lambda ran nothing) and shows the answer', async () => {
    lambda.failNext({ status: 429, code: 'TooManyRequestsException', message: 'Rate Exceeded.', retryAfterSeconds: 0 });

    const { error, shown } = await runInWorker(['drain']);

    expect(error).toBeUndefined();
    expect(lambda.invocations).toHaveLength(2);
    expect(shown).toContain('args=');
  });

  it('says a function still throttled after the retry is throttled, in plain words', async () => {
    lambda.failNext({ status: 429, code: 'TooManyRequestsException', message: 'Rate Exceeded.' }, { status: 429, code: 'TooManyRequestsException', message: 'Rate Exceeded.' });

    const { error } = await runInWorker(['drain']);

    expect(error?.message).toBe('Lambda is throttling ops-fn (Lambda) (TooManyRequestsException); try again in a minute.');
    expect(lambda.invocations).toHaveLength(2);
  });

  it('does not retry a 5xx, which may have run the function, and says so', async () => {
    lambda.failNext({ status: 502, code: 'EC2UnexpectedException', message: 'unexpected' });

    const { error } = await runInWorker(['drain']);

    expect(error?.message).toBe('Lambda could not run ops-fn (Lambda) (HTTP 502 EC2UnexpectedException); it may or may not have run: check before trying again.');
    expect(lambda.invocations).toHaveLength(1);
  });

  it('tells a function that does not exist to check the ARN', async () => {
    lambda.deploy(ARN, () => ({}));
    const other = await startFakeLambda();
    try {
      const { error } = await runInWorker(['drain'], { endpoint: other.url });

      expect(error?.message).toBe('Lambda refused to invoke ops-fn (Lambda) (HTTP 404 ResourceNotFoundException). Check the ARN in config.yaml.');
    } finally {
      await other.stop();
    }
  });

  it('refuses an answer that is not an executor message', async () => {
    lambda.deploy(ARN, () => ({ statusCode: 200, body: 'done' }));

    const { error } = await runInWorker(['drain']);

    expect(error?.message).toMatch(/^ops-fn answered JSON that is not an executor message \(/);
  });

  it('refuses an oversized answer', async () => {
    lambda.deploy(ARN, () => ({ blocks: [{ type: 'code', text: 'x'.repeat(400 * 1024) }] }));

    const { error } = await runInWorker(['drain']);

    expect(error?.message).toBe('ops-fn (Lambda) answered more than 256 KiB, the most Fluxline reads; make the answer shorter.');
  });

  it('gives up on an Invoke that never answers', async () => {
    const hole = await startBlackHole();
    try {
      const { error } = await runInWorker(['drain'], { endpoint: hole.url });

      expect(error?.message).toBe('ops-fn (Lambda) did not answer within 2 s.');
    } finally {
      await hole.stop();
    }
  });

  it('audits every run of a mutating Lambda executor, failures included', async () => {
    lambda.deploy(ARN, () => {
      throw new Error('drain refused');
    });

    const { store } = await runInWorker(['drain', 'node-1'], { mutating: true });

    const audit = await store.auditOfDay(new Date());
    expect(audit.filter((entry) => entry.action === 'ops-fn drain node-1')).toEqual([expect.objectContaining({ actor: 'U0ADMIN', target: 'executor:ops-fn', outcome: 'failed', detail: 'ops-fn (Lambda) failed: Error: drain refused.' })]);
  });
});
