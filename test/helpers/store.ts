import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createStore, ensureTable, type Store } from '../../lib/adapters/store';

/** A fresh table in the shared DynamoDB Local, so test files never see each other's items. */
export async function freshStore(): Promise<Store> {
  const store = createStore({ tableName: `t-${randomUUID()}`, endpoint: inject('dynamoDbEndpoint') });
  await ensureTable(store.table);
  return store;
}
