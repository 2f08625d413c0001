import { createConsoleSlack, type ConsoleSlackOptions } from './console-slack';
import type { SlackPort } from './port';
import type { SlackRetryOptions } from './retry';
import { createWebSlack } from './web-slack';
import { guardSlack } from './outbound-guard';

export interface CreateSlackOptions {
  /** Bot User OAuth Token (xoxb-…). Without one (local dev), messages are printed to the console instead. */
  token?: string;
  /** Slack Web API base (SLACK_API_URL), e.g. `https://slack.com/api/`. */
  apiUrl: string;
  /** Bounds on retries; the defaults fit a webhook that must answer within 10 s. */
  retry?: SlackRetryOptions;
  /** Where the console printer writes. @default process.stdout */
  out?: ConsoleSlackOptions['out'];
}

/** Either Slack, behind the outbound guard: no message leaves with a token or a broadcast in it. */
export function createSlack(options: CreateSlackOptions): SlackPort {
  const token = options.token?.trim();
  if (!token) return guardSlack(createConsoleSlack(options.out ? { out: options.out } : {}));
  return guardSlack(createWebSlack({ token, apiUrl: options.apiUrl, ...(options.retry ? { retry: options.retry } : {}) }));
}
