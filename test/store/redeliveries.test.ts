import { beforeAll, describe, expect, it } from 'vitest';
import { ConcurrentUpdate, type Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

const at = (iso: string) => new Date(iso);
/** The error a call fails with (undefined when it succeeds), caught at once so no rejection goes unhandled. */
const failureOf = (call: Promise<unknown>) => call.then(() => undefined, (err: unknown) => err);

describe('redelivery sweep state', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('gives the lease to one of several sweeps racing for it', async () => {
    // Act
    const leases = await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.acquireSweepLease('race', id, 60_000)));

    // Assess
    expect(leases.filter((lease) => lease.acquired)).toHaveLength(1);
  });

  it('lets a sweep take a lease whose holder died once it runs out, and not before', async () => {
    // Prepare
    await store.acquireSweepLease('expiry', 'dead', 60_000, at('2026-01-01T00:00:00Z'));

    // Act
    const early = await store.acquireSweepLease('expiry', 'next', 60_000, at('2026-01-01T00:00:59Z'));
    const late = await store.acquireSweepLease('expiry', 'next', 60_000, at('2026-01-01T00:01:01Z'));

    // Assess
    expect(early.acquired).toBe(false);
    expect(late.acquired).toBe(true);
    expect(await store.releaseSweepLease('expiry', 'dead')).toBe(false);
  });

  it('moves the mark forward only, only under the lease, and hands it to the next holder', async () => {
    // Prepare
    await store.acquireSweepLease('mark', 'first', 60_000);
    await store.advanceSweepMark('mark', 'first', at('2026-01-01T10:00:00Z'));

    // Act
    const backwards = await failureOf(store.advanceSweepMark('mark', 'first', at('2026-01-01T09:00:00Z')));
    const stranger = await failureOf(store.advanceSweepMark('mark', 'someone-else', at('2026-01-01T11:00:00Z')));

    // Assess
    expect(backwards).toBeInstanceOf(ConcurrentUpdate);
    expect(stranger).toBeInstanceOf(ConcurrentUpdate);
    expect(await store.releaseSweepLease('mark', 'first')).toBe(true);
    const next = await store.acquireSweepLease('mark', 'second', 60_000);
    expect(next).toEqual({ acquired: true, mark: at('2026-01-01T10:00:00Z') });
  });

  it('records an intent only when nobody added a request since it was read, then its outcome', async () => {
    // Prepare
    const first = await store.recordRedeliveryIntent('app', 'guid-1', { deliveryId: 10, event: 'pull_request', knownRequests: 0 }, at('2026-01-01T00:00:00Z'));

    // Act
    const stale = await failureOf(store.recordRedeliveryIntent('app', 'guid-1', { deliveryId: 10, event: 'pull_request', knownRequests: 0 }));
    await store.recordRedeliveryOutcome('app', 'guid-1', first, 'requested');
    const second = await store.recordRedeliveryIntent('app', 'guid-1', { deliveryId: 12, event: 'pull_request', knownRequests: 1 }, at('2026-01-01T00:05:00Z'));

    // Assess
    expect(stale).toBeInstanceOf(ConcurrentUpdate);
    expect([first, second]).toEqual([0, 1]);
    expect(await store.getRedelivery('app', 'guid-1')).toEqual({
      guid: 'guid-1',
      event: 'pull_request',
      requests: [
        { deliveryId: 10, requestedAt: '2026-01-01T00:00:00.000Z', outcome: 'requested' },
        { deliveryId: 12, requestedAt: '2026-01-01T00:05:00.000Z' },
      ],
    });
  });
});
