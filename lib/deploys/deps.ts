import type { Config } from '../config';
import type { SlackPort } from '../slack';
import type { Store } from '../store';

/** What handling a Flux event needs; the clock is injectable so throttling windows are testable. */
export interface FluxEventDeps {
  config: Config;
  store: Store;
  slack: SlackPort;
  now?: () => Date;
}
