import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../lib/adapters/store';
import { freshStore } from '../helpers/store';

// The effect ledger (EFFECT#<id>) of DESIGN §3 "Exactly once, visibly": intent before, result after.
describe('effects', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('says new, then intended since the first intent, then done with its result', async () => {
    const t0 = new Date('2026-12-07T03:00:00Z');

    const first = await store.beginEffect('post:a', t0);
    const second = await store.beginEffect('post:a', new Date(t0.getTime() + 60_000));
    await store.completeEffect('post:a', { channel: 'C0FLUX', ts: '1700000000.000100' });
    const third = await store.beginEffect('post:a');

    expect(first).toEqual({ state: 'new' });
    expect(second).toEqual({ state: 'intended', intentAt: t0, attempts: 1 });
    expect(third).toEqual({ state: 'done', intentAt: t0, result: { channel: 'C0FLUX', ts: '1700000000.000100' } });
    expect(await store.getEffect('post:a')).toMatchObject({ state: 'done' });
  });

  it('keeps what the first attempt said it was about to do', async () => {
    await store.beginEffect('report:a', new Date(), { status: 'succeeded' });
    await store.beginEffect('report:a', new Date(), { status: 'failed' });

    expect(await store.getEffect('report:a')).toMatchObject({ state: 'intended', attempts: 2, intent: { status: 'succeeded' } });
  });

  it('reads without recording an attempt', async () => {
    expect(await store.getEffect('post:never')).toEqual({ state: 'new' });
    expect(await store.beginEffect('post:never')).toEqual({ state: 'new' });
  });

  it('answers an effect this process saw done without asking the table again (issue #20)', async () => {
    // Prepare: one effect completed here, one read done here; then both items are taken out of the table behind its back
    await store.completeEffect('check-run:a', { id: 7 });
    await store.beginEffect('check-run:b');
    await store.completeEffect('check-run:b', { id: 8 });
    await store.getEffect('check-run:b');
    for (const id of ['check-run:a', 'check-run:b']) await store.table.doc.send(new DeleteCommand({ TableName: store.table.tableName, Key: { pk: `EFFECT#${id}`, sk: 'EFFECT' } }));

    // Act
    const [a, b] = await Promise.all([store.beginEffect('check-run:a'), store.getEffect('check-run:b')]);

    // Assess: done is final, so memory is as good as the table
    expect(a).toMatchObject({ state: 'done', result: { id: 7 } });
    expect(b).toMatchObject({ state: 'done', result: { id: 8 } });
  });

  it('keeps housekeeping on a result recorded without an intent before it', async () => {
    await store.completeEffect('post:no-intent', { channel: 'C0FLUX', ts: '1.2' });

    const { Item } = await store.table.doc.send(new GetCommand({ TableName: store.table.tableName, Key: { pk: 'EFFECT#post:no-intent', sk: 'EFFECT' } }));

    expect(Item).toMatchObject({ intentAt: expect.any(String), expiresAt: expect.any(Number), result: { ts: '1.2' } });
  });

  it('tells exactly one of two racing attempts that it is the first', async () => {
    const states = await Promise.all([store.beginEffect('post:race'), store.beginEffect('post:race')]);
    expect(states.filter((s) => s.state === 'new')).toHaveLength(1);
  });
});
