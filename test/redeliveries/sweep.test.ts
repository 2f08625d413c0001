import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedeliveryRequestFailed } from '../../lib/flows/redeliveries';
import { startSweepWorld, type SweepWorld } from './world';

describe('sweep of failed GitHub webhook deliveries', () => {
  let w: SweepWorld;
  beforeEach(async () => {
    w = await startSweepWorld();
  });
  afterEach(async () => {
    await w.github.stop();
  });

  it('asks GitHub once to redeliver a pull_request delivery our endpoint answered 503', async () => {
    // Prepare
    const failed = w.delivered(10, { event: 'pull_request', statusCode: 503 });
    w.delivered(9, { event: 'pull_request', statusCode: 202 });

    // Act
    const first = await w.sweep();
    const second = await w.sweep();

    // Assess
    expect(w.github.hookDeliveries.attempts).toEqual([{ deliveryId: failed.id, guid: failed.guid }]);
    expect(first).toMatchObject({ outcome: 'swept', listed: 2, failed: 1, redelivered: [{ guid: failed.guid, deliveryId: failed.id, event: 'pull_request' }] });
    expect(second.redelivered).toEqual([]);
    const record = await w.store.getRedelivery(w.appId, failed.guid);
    expect(record?.requests).toEqual([{ deliveryId: failed.id, requestedAt: expect.any(String) as string, outcome: 'requested' }]);
  });

  it('does not redeliver an event that failed and then succeeded on a redelivery', async () => {
    // Prepare
    const failed = w.delivered(10, { statusCode: 502 });
    w.delivered(8, { guid: failed.guid, statusCode: 202, redelivery: true });

    // Act
    const summary = await w.sweep();

    // Assess
    expect(w.github.hookDeliveries.attempts).toEqual([]);
    expect(summary).toMatchObject({ listed: 2, failed: 0, redelivered: [] });
  });

  it.each([
    [0, 'timed out', true],
    [500, 'a 5xx', true],
    [429, 'a 429', true],
    [401, 'a refused signature', false],
    [413, 'a body too large', false],
  ])('after status %i (%s), redelivers: %s', async (statusCode, _what, redelivered) => {
    // Prepare
    const failed = w.delivered(5, { statusCode });

    // Act
    const summary = await w.sweep();

    // Assess
    expect(w.github.hookDeliveries.attempts.map((a) => a.guid)).toEqual(redelivered ? [failed.guid] : []);
    expect(summary.skippedRefusedByUs).toEqual(redelivered ? [] : [failed.guid]);
  });

  it('redelivers check_run deliveries too, and no event Fluxline does not handle', async () => {
    // Prepare
    const checkRun = w.delivered(6, { event: 'check_run', action: 'rerequested', statusCode: 504 });
    w.delivered(5, { event: 'ping', statusCode: 500 });
    w.delivered(4, { event: 'installation', action: 'created', statusCode: 0 });

    // Act
    const summary = await w.sweep();

    // Assess
    expect(w.github.hookDeliveries.attempts.map((a) => a.guid)).toEqual([checkRun.guid]);
    expect(summary).toMatchObject({ failed: 1, ignored: 2 });
  });

  it('walks every page of the list (cursor in the Link header) back to its window', async () => {
    // Prepare: 250 deliveries 10 s apart, newest first on GitHub's side; failures on pages 1, 2 and 3.
    const failedAt = new Set([3, 140, 245]);
    const failed: string[] = [];
    for (let i = 249; i >= 0; i--) {
      const delivery = w.github.hookDeliveries.add({ statusCode: failedAt.has(i) ? 502 : 202, deliveredAt: new Date(Date.now() - i * 10_000) });
      if (failedAt.has(i)) failed.push(delivery.guid);
    }

    // Act
    const summary = await w.sweep();

    // Assess
    expect(summary).toMatchObject({ listed: 250, pages: 3, failed: 3 });
    expect(w.github.hookDeliveries.attempts.map((a) => a.guid).sort()).toEqual([...failed].sort());
    const lists = w.deliveryRequests().filter((r) => r.startsWith('GET'));
    expect(lists).toHaveLength(3);
    expect(lists[0]).toBe('GET /app/hook/deliveries?per_page=100');
    expect(lists.slice(1).every((r) => /[?&]cursor=v1_\d+/.test(r))).toBe(true);
  });

  it('keeps its mark when the list is longer than one sweep reads, still redelivering what it read', async () => {
    // Prepare: 150 deliveries 10 s apart, the newest failed; one page of 100 is all this sweep may read.
    for (let i = 149; i >= 1; i--) w.github.hookDeliveries.add({ statusCode: 202, deliveredAt: new Date(Date.now() - i * 10_000) });
    const failed = w.delivered(0, { statusCode: 502 });

    // Act
    const summary = await w.sweep({ maxPages: 1 });

    // Assess
    expect(summary).toMatchObject({ listed: 100, pages: 1 });
    expect(summary.redelivered.map((r) => r.guid)).toEqual([failed.guid]);
    expect(await w.storedMark()).toBeUndefined();
  });

  it('after a crash between the POST and recording its answer, finds the redelivery instead of asking twice', async () => {
    // Prepare: the POST reaches GitHub, then the sweep dies before it records the answer.
    const failed = w.delivered(10, { statusCode: 503 });
    const crashAfterPost = {
      ...w.deps.github,
      redeliver: async (id: number) => {
        await w.deps.github.redeliver(id);
        throw new Error('Lambda timed out');
      },
    };
    await expect(w.sweep({}, { github: crashAfterPost })).rejects.toBeInstanceOf(RedeliveryRequestFailed);
    const markAfterCrash = await w.storedMark();

    // Act
    const retry = await w.sweep();
    const later = await w.sweep();

    // Assess
    expect(markAfterCrash).toBeUndefined();
    expect(w.github.hookDeliveries.attempts).toHaveLength(1);
    expect(retry).toMatchObject({ recovered: [failed.guid], redelivered: [] });
    expect(later).toMatchObject({ recovered: [], redelivered: [] });
    const record = await w.store.getRedelivery(w.appId, failed.guid);
    expect(record?.requests).toMatchObject([{ deliveryId: failed.id, outcome: 'found' }]);
  });

  it('after a crash before the POST, waits while the effect is unknown, then asks (the event is not skipped)', async () => {
    // Prepare: the intent is recorded, the POST never leaves.
    const failed = w.delivered(10, { statusCode: 503 });
    w.delivered(2, { statusCode: 202 });
    const crashBeforePost = { ...w.deps.github, redeliver: () => Promise.reject(new Error('Lambda timed out')) };
    await expect(w.sweep({}, { github: crashBeforePost })).rejects.toBeInstanceOf(RedeliveryRequestFailed);

    // Act
    const soon = await w.sweep();
    const markWhileUnknown = await w.storedMark();
    const afterAwait = await w.sweep({ now: () => new Date(Date.now() + 11 * 60_000) });

    // Assess
    expect(soon).toMatchObject({ deferred: [failed.guid], redelivered: [] });
    // The mark stays before the event whose request is in doubt, though a newer delivery was listed.
    expect(markWhileUnknown === undefined || markWhileUnknown < failed.delivered_at).toBe(true);
    expect(afterAwait.redelivered.map((r) => r.guid)).toEqual([failed.guid]);
    expect(w.github.hookDeliveries.attempts).toHaveLength(1);
    const record = await w.store.getRedelivery(w.appId, failed.guid);
    expect(record?.requests.map((r) => r.outcome)).toEqual(['lost', 'requested']);
  });

  it('stops after 3 redeliveries of an event that keeps failing', async () => {
    // Prepare
    const failed = w.delivered(10, { statusCode: 500 });
    w.github.hookDeliveries.redeliveryStatusCode = 500;

    // Act
    const summaries = [];
    for (let i = 0; i < 5; i++) summaries.push(await w.sweep());

    // Assess
    expect(w.github.hookDeliveries.attempts).toHaveLength(3);
    expect(summaries.map((s) => s.redelivered.length)).toEqual([1, 1, 1, 0, 0]);
    expect(summaries[3]?.skippedOverCap).toEqual([failed.guid]);
  });

  it('counts redeliveries made by hand (from the list) toward the cap', async () => {
    // Prepare
    const failed = w.delivered(30, { statusCode: 500 });
    for (const minutes of [20, 15, 10]) w.delivered(minutes, { guid: failed.guid, statusCode: 500, redelivery: true });

    // Act
    const summary = await w.sweep();

    // Assess
    expect(w.github.hookDeliveries.attempts).toEqual([]);
    expect(summary.skippedOverCap).toEqual([failed.guid]);
  });

  it('redelivers at most maxRedeliveriesPerSweep, oldest first, and the next sweep takes the rest', async () => {
    // Prepare
    const oldest = w.delivered(30, { statusCode: 502 });
    const middle = w.delivered(20, { statusCode: 502 });
    const newest = w.delivered(10, { statusCode: 502 });
    // A newer success: the mark must still stay before the event left for the next sweep.
    w.delivered(1, { statusCode: 202 });

    // Act
    const first = await w.sweep({ maxRedeliveriesPerSweep: 2 });
    const second = await w.sweep({ maxRedeliveriesPerSweep: 2 });

    // Assess
    expect(first.redelivered.map((r) => r.guid)).toEqual([oldest.guid, middle.guid]);
    expect(first.deferred).toEqual([newest.guid]);
    expect(second.redelivered.map((r) => r.guid)).toEqual([newest.guid]);
    expect(w.github.hookDeliveries.attempts).toHaveLength(3);
  });

  it('ignores failures older than its window: the first look-back, and the mark less the overlap', async () => {
    // Prepare: nothing swept yet, so the window is the last hour.
    w.delivered(2 * 60, { statusCode: 502 });
    w.delivered(4 * 24 * 60, { statusCode: 502 });
    w.delivered(1, { statusCode: 202 });
    const first = await w.sweep();
    const mark = await w.storedMark();
    // Listed late, 20 minutes behind the mark (beyond the 5-minute overlap) and 3 minutes behind it (within).
    w.delivered(20, { statusCode: 502 });
    const withinOverlap = w.delivered(3, { statusCode: 502 });

    // Act
    const second = await w.sweep();

    // Assess
    expect(first).toMatchObject({ listed: 1, failed: 0 });
    expect(mark).toBeDefined();
    expect(second.redelivered.map((r) => r.guid)).toEqual([withinOverlap.guid]);
    expect(w.github.hookDeliveries.attempts).toHaveLength(1);
  });

  it('fails without moving its mark when GitHub answers 5xx to the list, and the next sweep catches up', async () => {
    // Prepare
    w.delivered(5, { statusCode: 202 });
    await w.sweep();
    const markBefore = await w.storedMark();
    const failed = w.delivered(1, { statusCode: 503 });
    w.github.failNext({ method: 'GET', path: /^\/app\/hook\/deliveries/ }, [{ status: 502 }, { status: 502 }, { status: 502 }]);

    // Act
    const failure = w.sweep();

    // Assess
    await expect(failure).rejects.toMatchObject({ status: 502 });
    expect(await w.storedMark()).toBe(markBefore);
    expect(w.github.hookDeliveries.attempts).toEqual([]);
    const next = await w.sweep();
    expect(next.redelivered.map((r) => r.guid)).toEqual([failed.guid]);
    expect(await w.storedMark()).not.toBe(markBefore);
  });

  it('does nothing while another sweep holds the lease', async () => {
    // Prepare
    w.delivered(5, { statusCode: 503 });
    await w.store.acquireSweepLease(w.appId, 'other-sweep', 60_000);

    // Act
    const summary = await w.sweep();

    // Assess
    expect(summary.outcome).toBe('busy');
    expect(w.deliveryRequests()).toEqual([]);
  });

  it('redelivers once when two sweeps run at the same time', async () => {
    // Prepare
    w.delivered(5, { statusCode: 503 });
    w.delivered(4, { statusCode: 0 });

    // Act
    const summaries = await Promise.all([w.sweep(), w.sweep(), w.sweep()]);

    // Assess
    expect(w.github.hookDeliveries.attempts).toHaveLength(2);
    expect(summaries.flatMap((s) => s.redelivered)).toHaveLength(2);
  });

  it('records GitHub refusing a redelivery and does not ask again', async () => {
    // Prepare
    const failed = w.delivered(5, { statusCode: 503 });
    w.github.failNext({ method: 'POST', path: /\/attempts$/ }, [{ status: 422, body: { message: 'Validation Failed', documentation_url: 'https://docs.github.com/rest' } }]);

    // Act
    const first = await w.sweep();
    const second = await w.sweep();

    // Assess
    expect(first.refusedByGithub).toEqual([failed.guid]);
    expect(second).toMatchObject({ refusedByGithub: [], redelivered: [] });
    expect(w.deliveryRequests().filter((r) => r.startsWith('POST'))).toHaveLength(1);
    const record = await w.store.getRedelivery(w.appId, failed.guid);
    expect(record?.requests).toMatchObject([{ outcome: 'refused', detail: expect.stringContaining('422') as string }]);
  });
});
