import { listAppHookDeliveries, redeliverAppHookDelivery, type GithubApp, type ListedHookDeliveries, type ListHookDeliveriesOptions } from '../../adapters/github';
import type { Store } from '../../adapters/store';

/** The App-level (JWT) GitHub calls the sweep makes. */
export interface AppDeliveries {
  listDeliveries(options: ListHookDeliveriesOptions): Promise<ListedHookDeliveries>;
  redeliver(deliveryId: number): Promise<void>;
}

/** What sweepFailedDeliveries needs, and nothing more. */
export interface RedeliveryDeps {
  /** GITHUB_APP_ID: scopes the sweep's state, as delivery ids are unique per app. */
  appId: string;
  github: AppDeliveries;
  store: Pick<Store, 'acquireSweepLease' | 'advanceSweepMark' | 'releaseSweepLease' | 'getRedelivery' | 'recordRedeliveryIntent' | 'recordRedeliveryOutcome'>;
}

/** The App's webhook deliveries through its JWT client (lib/adapters/github's request policy: retries, rate limits). */
export function appDeliveriesOf(app: GithubApp): AppDeliveries {
  return {
    listDeliveries: (options) => listAppHookDeliveries(app.forApp(), options),
    redeliver: (deliveryId) => redeliverAppHookDelivery(app.forApp(), deliveryId),
  };
}
