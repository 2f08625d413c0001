import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

describe('webhook delivery claims', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('claims a delivery once and refuses the redelivery', async () => {
    // Act
    const first = await store.claimDelivery('1', 'd-1');
    await store.completeDelivery('1', 'd-1', 'posted');
    const second = await store.claimDelivery('1', 'd-1');

    // Assess
    expect(first).toBe('claimed');
    expect(second).toBe('already-processed');
  });

  it('refuses a concurrent claim of the same delivery', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => store.claimDelivery('1', 'd-race')));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
  });

  it('compares expiry in code rather than trusting TTL deletion', async () => {
    // Prepare: a claim made eight days ago that DynamoDB Local never deleted
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    await store.claimDelivery('1', 'd-old', eightDaysAgo);
    await store.completeDelivery('1', 'd-old', 'posted');

    // Act + Assess
    expect(await store.claimDelivery('1', 'd-old')).toBe('claimed');
  });

  it('lets a released claim be processed again, so a failed delivery is not lost', async () => {
    await store.claimDelivery('1', 'd-fail');
    await store.releaseDelivery('1', 'd-fail');
    expect(await store.claimDelivery('1', 'd-fail')).toBe('claimed');
  });

  it('takes over a claim whose processing crashed more than two minutes ago', async () => {
    await store.claimDelivery('1', 'd-crash', new Date(Date.now() - 5 * 60 * 1000));
    expect(await store.claimDelivery('1', 'd-crash')).toBe('claimed');
    expect(await store.claimDelivery('1', 'd-crash')).toBe('already-processed');
  });

  it('keeps deliveries of different GitHub Apps apart', async () => {
    await store.claimDelivery('1', 'd-shared');
    expect(await store.claimDelivery('2', 'd-shared')).toBe('claimed');
  });
});
