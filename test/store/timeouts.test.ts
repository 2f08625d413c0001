import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, StoreTimedOut } from '../../lib/adapters/store';
import { startBlackHole, type BlackHole } from '../fakes/black-hole';

// Issue #17: a DynamoDB that accepts connections and never answers must not hold a caller past its deadline.
describe('store timeouts', () => {
  let hole: BlackHole;
  beforeAll(async () => (hole = await startBlackHole()));
  afterAll(async () => hole.stop());

  it('fails a call to a DynamoDB that never answers with StoreTimedOut, after its attempts', async () => {
    // Prepare
    const store = createStore({ tableName: 'black-hole', endpoint: hole.url, timeouts: { requestMs: 100, maxAttempts: 2 } });
    const before = hole.connections();

    // Act
    const outcome = store.getJob('job-1');

    // Assess
    await expect(outcome).rejects.toThrow(StoreTimedOut);
    await expect(outcome).rejects.toThrow(/DynamoDB did not answer GetItemCommand \(2 attempts of 100 ms each\)/);
    // Each attempt reached the black hole: the timeout is the request's, not a refused connection.
    expect(hole.connections() - before).toBe(2);
  });
});
