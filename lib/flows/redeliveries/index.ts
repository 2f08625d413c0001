export { sweepFailedDeliveries, type SweepOptions, type SweepSummary } from './sweep';
export { appDeliveriesOf, type AppDeliveries, type RedeliveryDeps } from './deps';
export { RedeliverySweepError, RedeliveryRequestFailed } from './errors';
