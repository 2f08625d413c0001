import type { Config } from '../../core/config';
import type { SlackPort } from '../../adapters/slack';
import type { Store } from '../../adapters/store';
import type { JobQueue } from '../jobs';

/** What handling a Flux event needs; the clock is injectable so throttling windows are testable. */
export interface FluxEventDeps {
  config: Config;
  store: Store;
  slack: SlackPort;
  now?: () => Date;
  /** Where the status read of a new deployment is queued (the worker reads the object); without it, the event alone is recorded. */
  queue?: JobQueue;
}
