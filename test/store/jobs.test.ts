import { beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord, Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

const job = (id: string, overrides: Partial<JobRecord> = {}): JobRecord => ({
  id,
  kind: 'diff',
  status: 'queued',
  requester: { user: 'U1', channel: 'C1' },
  inputs: { repository: 'acme/fleet', number: 42 },
  subject: { repository: 'acme/fleet', number: 42 },
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  attempts: 0,
  ...overrides,
});

describe('job items', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('creates a job once per id', async () => {
    expect((await store.createJob(job('j-1'))).created).toBe(true);
    const again = await store.createJob(job('j-1', { kind: 'other' }));
    expect(again).toMatchObject({ created: false, job: { kind: 'diff' } });
  });

  it('moves a job only from the state it is in', async () => {
    await store.createJob(job('j-2'));
    const [a, b] = await Promise.all([store.transitionJob('j-2', 'queued', 'running'), store.transitionJob('j-2', 'queued', 'running')]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await store.getJob('j-2'))?.attempts).toBe(1);
    expect(await store.transitionJob('j-2', 'queued', 'failed')).toBeUndefined();
    expect(await store.transitionJob('j-2', 'running', 'succeeded', { outcome: { changes: 3 } })).toMatchObject({ status: 'succeeded', outcome: { changes: 3 } });
  });

  it('lists the jobs of a pull request', async () => {
    const jobs = await store.listJobsOfPullRequest('acme/fleet', 42);
    expect(jobs.map((j) => j.id).sort()).toEqual(['j-1', 'j-2']);
  });

  it('stores a large result compressed and reads it back', async () => {
    const text = '► Deployment/default/podinfo drifted\n'.repeat(20_000);
    await store.putJobResult('j-2', text, { drifted: 20_000 });
    expect(await store.getJobResult('j-2')).toEqual({ text, summary: { drifted: 20_000 }, truncated: false });
  });

  it('reads back the result it just wrote without a second round trip (the report follows the job’s write), and asks DynamoDB for any other', async () => {
    // Prepare: count what goes to DynamoDB.
    const sent: string[] = [];
    store.table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    await store.putJobResult('j-older', 'older report', { counts: 1 });

    try {
      // Act
      await store.putJobResult('j-r', 'the report', { counts: 2 });
      const mine = await store.getJobResult('j-r');
      const older = await store.getJobResult('j-older');

      // Assess
      expect(mine).toEqual({ text: 'the report', summary: { counts: 2 }, truncated: false });
      expect(older).toEqual({ text: 'older report', summary: { counts: 1 }, truncated: false });
      expect(sent).toEqual(['PutItemCommand', 'PutItemCommand', 'GetItemCommand']);
    } finally {
      store.table.doc.middlewareStack.remove('countCommands');
    }
  });

  it('cuts a result that cannot fit a DynamoDB item and says so', async () => {
    const random = Array.from({ length: 600_000 }, () => String.fromCharCode(33 + Math.floor(Math.random() * 90))).join('');
    const stored = await store.putJobResult('j-big', random, {});
    expect(stored.truncated).toBe(true);
    expect((await store.getJobResult('j-big'))?.text.length).toBeLessThan(random.length);
  });

  it('lets only one of two racing requests become the active job of a subject', async () => {
    await store.createJob(job('a-1'));
    await store.createJob(job('a-2'));
    const results = await Promise.all([store.claimActiveJob('diff:x', 'a-1'), store.claimActiveJob('diff:x', 'a-2')]);
    expect(results.filter((r) => r.claimed)).toHaveLength(1);

    const winner = results[0]?.claimed ? 'a-1' : 'a-2';
    expect(await store.claimActiveJob('diff:x', 'a-3')).toEqual({ claimed: false, activeJobId: winner });
    await store.transitionJob(winner, 'queued', 'failed', { error: 'boom' });
    expect(await store.claimActiveJob('diff:x', 'a-3')).toEqual({ claimed: true });
  });
});
