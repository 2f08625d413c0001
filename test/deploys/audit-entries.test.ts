import { beforeAll, describe, expect, it } from 'vitest';
import { auditJobOutcome, jobAuditEntry } from '../../lib/flows/deploys';
import type { JobRecord, Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

const job = (overrides: Partial<JobRecord>): JobRecord => ({
  id: 'job-approve-1',
  kind: 'approve',
  status: 'succeeded',
  requester: { user: 'U0ADMIN', name: 'alice', channel: 'C0FLUX', threadTs: '1700000000.000100' },
  inputs: { diffJobId: 'diff-1' },
  outcome: { url: 'https://github.com/acme/fleet/pull/42#pullrequestreview-1' },
  subject: { repository: 'acme/fleet', number: 42 },
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:05.000Z',
  attempts: 1,
  ...overrides,
});

describe('audit of jobs that act on a PR', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it.each([
    ['an approval', job({}), { action: 'approve', outcome: 'succeeded', detail: expect.stringContaining('pullrequestreview-1') }],
    ['a failed approval', job({ status: 'failed', outcome: undefined, error: 'new commits since the diff' }), { action: 'approve', outcome: 'failed', detail: expect.stringContaining('new commits since the diff') }],
    ['a posted diff', job({ kind: 'post-diff' }), { action: 'post-diff', outcome: 'succeeded', detail: expect.stringContaining('job job-approve-1') }],
  ])('records who, where and what for %s', (_what, finished, expected) => {
    expect(jobAuditEntry(finished)).toEqual({ actor: 'U0ADMIN', where: 'Slack C0FLUX · acme/fleet', target: 'acme/fleet#42', ...expected });
  });

  it('records nothing for diffs and unfinished jobs', () => {
    expect(jobAuditEntry(job({ kind: 'diff' }))).toBeUndefined();
    expect(jobAuditEntry(job({ status: 'running' }))).toBeUndefined();
  });

  it('stamps the entry with the time the job finished', async () => {
    // Act
    await auditJobOutcome(store, job({ id: 'job-stamped' }));

    // Assess
    const entries = await store.auditOfDay(new Date('2026-11-23T00:00:00Z'));
    expect(entries).toContainEqual(expect.objectContaining({ at: '2026-11-23T10:00:05.000Z', action: 'approve', detail: expect.stringContaining('job job-stamped') }));
  });
});
