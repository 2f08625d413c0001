import { appDeliveriesOf, sweepFailedDeliveries, type RedeliveryDeps, type SweepOptions } from '../../lib/flows/redeliveries';
import type { Store } from '../../lib/adapters/store';
import type { FakeHookDelivery, NewHookDelivery } from '../fakes/github/deliveries';
import { startHarness, type Harness } from '../github/harness';
import { freshStore } from '../helpers/store';

export interface SweepWorld extends Harness {
  store: Store;
  deps: RedeliveryDeps;
  /** Adds a delivery `minutes` ago (GitHub's list is what the sweep reads). */
  delivered(minutes: number, delivery: Omit<NewHookDelivery, 'deliveredAt'>): FakeHookDelivery;
  sweep(options?: SweepOptions, deps?: Partial<RedeliveryDeps>): ReturnType<typeof sweepFailedDeliveries>;
  /** The sweep's high-water mark as stored, read under a lease of our own (then given back). */
  storedMark(): Promise<string | undefined>;
  /** Requests the fake saw for the App's deliveries, as `METHOD /path?query`. */
  deliveryRequests(): string[];
}

/** A GitHub fake with the real app client pointed at it, a fresh table, and the sweep's deps over both. */
export async function startSweepWorld(): Promise<SweepWorld> {
  const harness = await startHarness();
  const store = await freshStore();
  const deps: RedeliveryDeps = { appId: harness.appId, github: appDeliveriesOf(harness.app), store };
  return {
    ...harness,
    store,
    deps,
    delivered: (minutes, delivery) => harness.github.hookDeliveries.add({ ...delivery, deliveredAt: new Date(Date.now() - minutes * 60_000) }),
    sweep: (options = {}, overrides = {}) => sweepFailedDeliveries({ ...deps, ...overrides }, options),
    async storedMark() {
      const lease = await store.acquireSweepLease(harness.appId, 'test-reader', 1_000);
      if (!lease.acquired) throw new Error('the sweep lease is held');
      await store.releaseSweepLease(harness.appId, 'test-reader');
      return lease.mark?.toISOString();
    },
    deliveryRequests: () => harness.github.requests.filter((r) => r.path.startsWith('/app/hook/deliveries')).map((r) => `${r.method} ${r.path}${r.query}`),
  };
}
