import type { Config } from '../../core/config';
import type { SlackPort } from '../../adapters/slack';
import type { Store } from '../../adapters/store';

/** What handling a Flux event needs; the clock is injectable so throttling windows are testable. */
export interface FluxEventDeps {
  config: Config;
  store: Store;
  slack: SlackPort;
  now?: () => Date;
}
