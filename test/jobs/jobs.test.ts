import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnqueueFailed, enqueueJob, jobIdFor, jobQueueOn, processJobBatch, runJob, type JobQueue } from '../../lib/flows/jobs';
import { inProcessQueue, sqsQueue } from '../../lib/adapters/queue';
import type { JobRecord, Store } from '../../lib/adapters/store';
import type { PostedMessage, PostMessage, SlackPort } from '../../lib/adapters/slack';
import { onceSlack, type ReportRun } from '../../lib/flows/effects';
import { fakeAwsEnv, startFakeSqs, type FakeSqs } from '../fakes/sqs';
import { freshStore } from '../helpers/store';

let sequence = 0;
const newJob = (overrides: Partial<JobRecord> = {}): JobRecord => ({
  id: `job-${++sequence}-${Date.now()}`,
  kind: 'diff',
  status: 'queued',
  requester: { user: 'U1', channel: 'C1' },
  inputs: {},
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  attempts: 0,
  ...overrides,
});

const recordingQueue = (): JobQueue & { sent: string[] } => {
  const sent: string[] = [];
  return { sent, send: (id) => Promise.resolve(void sent.push(id)), idle: () => Promise.resolve() };
};

describe('jobs', () => {
  let store: Store;
  let sqs: FakeSqs;
  beforeAll(async () => {
    store = await freshStore();
    sqs = await startFakeSqs();
  });
  afterAll(async () => {
    await sqs.stop();
  });

  it('derives the same job id from the same request, and different ids from different requests', () => {
    expect(jobIdFor({ source: 'slack', key: 'command:T1' })).toBe(jobIdFor({ source: 'slack', key: 'command:T1' }));
    expect(jobIdFor({ source: 'slack', key: 'command:T1' })).not.toBe(jobIdFor({ source: 'slack', key: 'command:T2' }));
  });

  describe('enqueueJob', () => {
    it('writes the job and sends only its id', async () => {
      const queue = jobQueueOn(sqsQueue(sqs.queueUrl, fakeAwsEnv({ sqs: sqs.url })));
      const job = newJob();

      const { created } = await enqueueJob({ store, queue }, job);

      expect(created).toBe(true);
      expect(sqs.sent.at(-1)).toEqual({ queueUrl: sqs.queueUrl, body: JSON.stringify({ jobId: job.id }) });
      expect(await store.getJob(job.id)).toMatchObject({ status: 'queued' });
    });

    it('creates nothing new for a repeated request, and resends only while the job is still queued', async () => {
      const queue = recordingQueue();
      const job = newJob();
      await enqueueJob({ store, queue }, job);

      const again = await enqueueJob({ store, queue }, { ...job, kind: 'other' });
      await store.transitionJob(job.id, 'queued', 'running');
      await enqueueJob({ store, queue }, job);

      expect(again).toMatchObject({ created: false, job: { kind: 'diff' } });
      expect(queue.sent).toEqual([job.id, job.id]);
    });

    it('marks the job failed when the queue refuses it, so nothing waits forever', async () => {
      const queue = jobQueueOn(sqsQueue(sqs.queueUrl, fakeAwsEnv({ sqs: sqs.url })));
      sqs.failNext([503, 503]);
      const job = newJob();

      await expect(enqueueJob({ store, queue }, job)).rejects.toBeInstanceOf(EnqueueFailed);

      expect(await store.getJob(job.id)).toMatchObject({ status: 'failed', error: expect.stringMatching(/did not accept/) });
    });
  });

  describe('runJob', () => {
    it('runs a queued job once, records its outcome and reports it', async () => {
      // Prepare
      const job = newJob();
      await store.createJob(job);
      const reports: JobRecord[] = [];
      let runs = 0;
      const execute = () => Promise.resolve({ outcome: { runs: ++runs } });

      // Act: the same message delivered twice, one after the other and concurrently
      const first = await runJob({ store }, job.id, execute, (j) => Promise.resolve(void reports.push(j)));
      const again = await Promise.all([1, 2].map(() => runJob({ store }, job.id, execute, (j) => Promise.resolve(void reports.push(j)))));

      // Assess
      expect(first).toBe('succeeded');
      expect(again).toEqual(['already-done', 'already-done']);
      expect(runs).toBe(1);
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({ status: 'succeeded', outcome: { runs: 1 }, attempts: 1 });
      expect((await store.getJob(job.id))?.reportedAt).toBeDefined();
    });

    it('reports a failure in the words of the error, without its stack', async () => {
      const job = newJob();
      await store.createJob(job);
      const reports: JobRecord[] = [];

      const result = await runJob({ store }, job.id, () => Promise.reject(new Error('Kustomization flux-system/apps not found on cluster stage\n    at stack')), (j) => Promise.resolve(void reports.push(j)));

      expect(result).toBe('failed');
      expect(reports[0]).toMatchObject({ status: 'failed', error: 'Kustomization flux-system/apps not found on cluster stage' });
    });

    it('reports again on redelivery when telling the requester failed the first time', async () => {
      const job = newJob();
      await store.createJob(job);
      const execute = () => Promise.resolve({ outcome: {} });

      await expect(runJob({ store }, job.id, execute, () => Promise.reject(new Error('slack down')))).rejects.toThrow('slack down');
      const reports: JobRecord[] = [];
      const redelivered = await runJob({ store }, job.id, execute, (j) => Promise.resolve(void reports.push(j)));

      expect(redelivered).toBe('reported-again');
      expect(reports).toHaveLength(1);
    });

    it('fails and reports a job whose worker died mid-run, once it is stale', async () => {
      const job = newJob();
      await store.createJob(job);
      await store.transitionJob(job.id, 'queued', 'running', {}, new Date(Date.now() - 30 * 60 * 1000));
      const reports: JobRecord[] = [];
      const report = (j: JobRecord) => Promise.resolve(void reports.push(j));
      const execute = () => Promise.reject(new Error('must not run'));

      const fresh = await runJob({ store, staleAfterMs: 60 * 60 * 1000 }, job.id, execute, report);
      const stale = await runJob({ store }, job.id, execute, report);

      expect(fresh).toBe('already-running');
      expect(stale).toBe('reported-again');
      expect(reports[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/worker stopped/) });
    });

    describe('steps made at the same time (issue #20)', () => {
      /** The store, recording which of its calls were in flight when each one started. */
      function watchedStore(): { store: Store; overlapped: (a: string, b: string) => boolean } {
        const inFlight = new Set<string>();
        const pairs: [string, string][] = [];
        const watched = { ...store };
        for (const name of ['transitionJob', 'beginEffect', 'completeEffect', 'markJobReported'] as const) {
          const original = store[name] as (...args: unknown[]) => Promise<unknown>;
          (watched as Record<string, unknown>)[name] = async (...args: unknown[]) => {
            const call = name === 'transitionJob' ? `${name}:${String(args[1])}` : name;
            for (const other of inFlight) pairs.push([other, call]);
            inFlight.add(call);
            try {
              return await original(...args);
            } finally {
              inFlight.delete(call);
            }
          };
        }
        const overlapped = (a: string, b: string) => pairs.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
        return { store: watched, overlapped };
      }

      /** `store` whose `name` fails once when `when` holds, as DynamoDB failing a write (or a crash before it) would. */
      function failingOnce<K extends 'transitionJob' | 'beginEffect' | 'completeEffect' | 'markJobReported'>(name: K, when: (...args: unknown[]) => boolean = () => true): Store {
        let left = 1;
        const original = store[name] as (...args: unknown[]) => Promise<unknown>;
        return {
          ...store,
          [name]: (...args: unknown[]) => {
            if (left > 0 && when(...args)) {
              left--;
              return Promise.reject(new Error(`DynamoDB failed ${name} (injected)`));
            }
            return original(...args);
          },
        };
      }

      it("writes the job's ending beside the report's intent, and the report's record beside the job's mark", async () => {
        // Prepare
        const job = newJob();
        await store.createJob(job);
        const { store: watched, overlapped } = watchedStore();

        // Act
        const result = await runJob({ store: watched }, job.id, () => Promise.resolve({ outcome: {} }), () => Promise.resolve());

        // Assess: two round trips where there were four
        expect(result).toBe('succeeded');
        expect(overlapped('transitionJob:running', 'beginEffect')).toBe(true);
        expect(overlapped('completeEffect', 'markJobReported')).toBe(true);
      });

      it.each([
        ["the job's ending fails while the report's intent lands", 'transitionJob' as const, (...args: unknown[]) => args[1] === 'running', 'repaired'],
        ["the report's intent fails while the job's ending lands", 'beginEffect' as const, () => true, 'reported-again'],
        ["the report's record fails while the job's mark lands", 'completeEffect' as const, () => true, 'already-done'],
        ["the job's mark fails while the report's record lands", 'markJobReported' as const, () => true, 'reported-again'],
      ])('tells the requester once when %s and the message is delivered again', async (_case, name, when, redelivered) => {
        // Prepare
        const job = newJob();
        await store.createJob(job);
        const reports: JobRecord[] = [];
        const report = (j: JobRecord) => Promise.resolve(void reports.push(j));
        const execute = () => Promise.resolve({ outcome: { said: 'approved' } });

        // Act
        await expect(runJob({ store: failingOnce(name, when) }, job.id, execute, report)).rejects.toThrow(/injected|could not be recorded|not recorded/);
        const again = await runJob({ store }, job.id, execute, report);
        const third = await runJob({ store }, job.id, execute, report);

        // Assess
        expect(again).toBe(redelivered);
        expect(third).toBe('already-done');
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatchObject({ status: 'succeeded', outcome: { said: 'approved' } });
        expect(await store.getJob(job.id)).toMatchObject({ status: 'succeeded', reportedAt: expect.any(String) });
      });

      it('tells nothing twice when a duplicate delivery reads the report intent while the ending is being written', async () => {
        // Prepare: the worker's ending is held until the duplicate delivery (started once the intent landed)
        // moves the job itself or reports; then the worker's ending lands first.
        const job = newJob();
        await store.createJob(job);
        const reports: JobRecord[] = [];
        let letWorkerMove = () => {};
        const workerMayMove = new Promise<void>((resolve) => (letWorkerMove = resolve));
        let workerMoved = () => {};
        const workerHasMoved = new Promise<void>((resolve) => (workerMoved = resolve));
        const report = async (j: JobRecord) => {
          reports.push(j);
          letWorkerMove();
          await workerHasMoved;
        };
        const execute = () => Promise.resolve({ outcome: {} });
        const duplicateStore: Store = {
          ...store,
          transitionJob: async (...args) => {
            if (args[1] === 'running') {
              letWorkerMove();
              await workerHasMoved;
            }
            return store.transitionJob(...args);
          },
        };
        let duplicate: Promise<unknown> | undefined;
        const workerStore: Store = {
          ...store,
          beginEffect: async (...args) => {
            const before = await store.beginEffect(...args);
            duplicate ??= runJob({ store: duplicateStore }, job.id, execute, report);
            return before;
          },
          transitionJob: async (...args) => {
            if (args[1] !== 'running') return store.transitionJob(...args);
            await workerMayMove;
            try {
              return await store.transitionJob(...args);
            } finally {
              workerMoved();
            }
          },
        };

        // Act
        const worker = await runJob({ store: workerStore }, job.id, execute, report);
        const second = await duplicate;

        // Assess
        expect([worker, second]).toEqual(['succeeded', 'already-done']);
        expect(reports).toHaveLength(1);
      });
    });

    describe("the report's posts (issue #20)", () => {
      /** Slack as the report sees it: the posts it holds, found again by their effect id unless the bot may not read history. */
      function fakeSlack({ historyReadable = true } = {}): { slack: SlackPort; posts: PostMessage[] } {
        const posts: PostMessage[] = [];
        const slack = {
          postMessage: (m: PostMessage) => Promise.resolve({ channel: m.channel, ts: `${1_700_000_000 + posts.push(m)}.000100` }),
          findPosted: ({ effectId }: { effectId: string }): Promise<PostedMessage | undefined> => {
            const at = posts.findIndex((m) => m.effectId === effectId);
            return Promise.resolve(historyReadable && at >= 0 ? { channel: posts[at]?.channel ?? '', ts: `${1_700_000_001 + at}.000100` } : undefined);
          },
          uploadFile: () => Promise.reject(new Error('Slack refused the upload (injected)')),
        } as unknown as SlackPort;
        return { slack, posts };
      }

      /** A report that posts one message through the job's once-only Slack, as the worker's reports do; `thenUpload` adds a file after it. */
      const reportTo =
        (slack: SlackPort, { thenUpload = false } = {}) =>
        async (job: JobRecord, run: ReportRun) => {
          const once = onceSlack({ store, slack }, `job:${job.id}`, run);
          await once.postMessage({ channel: 'C1', text: `done: ${job.status}` });
          if (thenUpload) await once.uploadFile({ channel: 'C1', filename: 'diff.txt', title: 'diff', content: 'x' });
        };

      /** `store` whose writes fail once for each call `failsWhen` picks, as DynamoDB failing them (or the process dying before them) would. */
      function failingWrites(failsWhen: (name: string, id: string) => boolean): Store {
        const failed = new Set<string>();
        const wrap = (name: 'completeEffect' | 'markJobReported') => (...args: unknown[]) => {
          const key = `${name}:${String(args[0])}`;
          if (!failed.has(key) && failsWhen(name, String(args[0]))) {
            failed.add(key);
            return Promise.reject(new Error(`DynamoDB failed ${name} (injected)`));
          }
          return (store[name] as (...a: unknown[]) => Promise<unknown>)(...args);
        };
        return { ...store, completeEffect: wrap('completeEffect') as Store['completeEffect'], markJobReported: wrap('markJobReported') as Store['markJobReported'] };
      }

      it("records no intent of a post on the report's first run, and writes its result beside the report's and the job's mark", async () => {
        // Prepare: every ledger call, with the effect it names, and what was in flight when it started
        const job = newJob();
        await store.createJob(job);
        const calls: string[] = [];
        const overlaps: [string, string][] = [];
        const inFlight = new Set<string>();
        const watched = { ...store };
        for (const name of ['beginEffect', 'completeEffect', 'markJobReported'] as const) {
          (watched as Record<string, unknown>)[name] = async (...args: unknown[]) => {
            const call = `${name}:${String(args[0]).replace(job.id, '<job>')}`;
            calls.push(call);
            for (const other of inFlight) overlaps.push([other, call]);
            inFlight.add(call);
            try {
              return await (store[name] as (...a: unknown[]) => Promise<unknown>)(...args);
            } finally {
              inFlight.delete(call);
            }
          };
        }
        const { slack, posts } = fakeSlack();

        // Act
        const result = await runJob({ store: watched }, job.id, () => Promise.resolve({ outcome: {} }), reportTo(slack));

        // Assess: the report's intent stands for its post's; the post's result goes in the last round trip
        expect(result).toBe('succeeded');
        expect(posts).toHaveLength(1);
        expect(calls.filter((c) => c.startsWith('beginEffect'))).toEqual(['beginEffect:job:<job>:report']);
        expect(overlaps).toEqual(expect.arrayContaining([['completeEffect:job:<job>:report', 'completeEffect:job:<job>:post:1'], ['completeEffect:job:<job>:post:1', 'markJobReported:<job>']]));
        expect(await store.getEffect(`job:${job.id}:post:1`)).toMatchObject({ state: 'done', result: { channel: 'C1' } });
      });

      it.each([
        ['the worker dies after the post, before any of the three writes', (name: string, id: string) => name === 'markJobReported' || id.endsWith(':report') || id.endsWith(':post:1'), true, 'reported-again'],
        ["the post's result fails while the report's result and the job's mark land", (_name: string, id: string) => id.endsWith(':post:1'), false, 'already-done'],
        ["the report's result and the job's mark fail while the post's result lands", (name: string, id: string) => name === 'markJobReported' || id.endsWith(':report'), false, 'reported-again'],
        ["the report's result fails while the post's result and the job's mark land", (_name: string, id: string) => id.endsWith(':report'), false, 'already-done'],
      ])('posts once when %s and the message is delivered again', async (_case, failsWhen, historyReadable, redelivered) => {
        // Prepare: without history, only the ledger can tell a redelivery that the post was made
        const job = newJob();
        await store.createJob(job);
        const { slack, posts } = fakeSlack({ historyReadable });
        const execute = () => Promise.resolve({ outcome: {} });

        // Act
        await expect(runJob({ store: failingWrites(failsWhen) }, job.id, execute, reportTo(slack))).rejects.toThrow(/injected/);
        const again = await runJob({ store }, job.id, execute, reportTo(slack));
        const third = await runJob({ store }, job.id, execute, reportTo(slack));

        // Assess
        expect(again).toBe(redelivered);
        expect(third).toBe('already-done');
        expect(posts).toHaveLength(1);
        expect(await store.getJob(job.id)).toMatchObject({ status: 'succeeded', reportedAt: expect.any(String) });
      });

      it('records the post a report made before it failed, so its next run does not post it again', async () => {
        // Prepare: the report posts, then its upload fails; Slack's history is not readable
        const job = newJob();
        await store.createJob(job);
        const { slack, posts } = fakeSlack({ historyReadable: false });
        const execute = () => Promise.resolve({ outcome: {} });

        // Act
        await expect(runJob({ store }, job.id, execute, reportTo(slack, { thenUpload: true }))).rejects.toThrow(/upload/);
        const again = await runJob({ store }, job.id, execute, reportTo(slack));

        // Assess
        expect(again).toBe('reported-again');
        expect(posts).toHaveLength(1);
      });

      it("looks in Slack for a post of the report's earlier run that has no ledger entry of its own", async () => {
        // Prepare: an earlier run's report intent and its post, whose result was never recorded (the worker died)
        const job = newJob();
        await store.createJob(job);
        await store.transitionJob(job.id, 'queued', 'running');
        await store.transitionJob(job.id, 'running', 'succeeded', { outcome: {} });
        await store.beginEffect(`job:${job.id}:report`, new Date(), { status: 'succeeded', outcome: {} });
        const { slack, posts } = fakeSlack();
        await slack.postMessage({ channel: 'C1', text: 'done: succeeded', effectId: `job:${job.id}:post:1` });

        // Act
        const again = await runJob({ store }, job.id, () => Promise.reject(new Error('must not run')), reportTo(slack));

        // Assess
        expect(again).toBe('reported-again');
        expect(posts).toHaveLength(1);
        expect(await store.getEffect(`job:${job.id}:post:1`)).toMatchObject({ state: 'done', result: { ts: '1700000001.000100' } });
      });
    });

    it('writes the ending and tells it while work the job left settling goes on, and returns only once it settled', async () => {
      // Prepare: a diff keeps its checkout for the next one after flux; that needs nothing of the ending
      const job = newJob();
      await store.createJob(job);
      let settle = () => {};
      const settling = new Promise<void>((resolve) => (settle = resolve));
      let reported = false;
      let returned = false;

      // Act
      const running = runJob({ store }, job.id, () => Promise.resolve({ outcome: {}, settling }), () => Promise.resolve(void (reported = true))).then((r) => ((returned = true), r));
      await vi.waitFor(async () => expect((await store.getJob(job.id))?.reportedAt).toBeDefined());
      const returnedBeforeSettled = returned;
      settle();

      // Assess
      expect(reported).toBe(true);
      expect(returnedBeforeSettled).toBe(false);
      expect(await running).toBe('succeeded');
    });

    it('drops a message whose job does not exist', async () => {
      expect(await runJob({ store }, 'no-such-job', () => Promise.resolve({ outcome: {} }), () => Promise.resolve())).toBe('missing');
    });
  });

  describe('queues', () => {
    it('runs in-process jobs after the caller returns, and idle() waits for them', async () => {
      const ran: string[] = [];
      const queue = jobQueueOn(inProcessQueue({ name: 'jobs', consume: () => Promise.resolve((message) => Promise.resolve(void ran.push(message.body))) }));

      await queue.send('a');
      const ranBeforeIdle = [...ran];
      await queue.idle();

      expect(ranBeforeIdle).toEqual([]);
      expect(ran).toEqual([JSON.stringify({ jobId: 'a' })]);
    });

    it('returns failed SQS records alone for redelivery and drops malformed ones', async () => {
      // Prepare
      const record = (messageId: string, body: string) => ({ messageId, body, receiptHandle: 'r', attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q', awsRegion: 'eu-west-1' });
      const event = { Records: [record('ok', '{"jobId":"j1"}'), record('boom', '{"jobId":"j2"}'), record('junk', 'not json')] } as unknown as SQSEvent;
      const handled: string[] = [];

      // Act
      const response = await processJobBatch(event, {} as Context, (id) => {
        handled.push(id);
        return id === 'j2' ? Promise.reject(new Error('dynamodb throttled')) : Promise.resolve();
      });

      // Assess
      expect(handled.sort()).toEqual(['j1', 'j2']);
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'boom' }]);
    });
  });
});
