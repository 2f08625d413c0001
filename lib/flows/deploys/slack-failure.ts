import { SlackRateLimited, SlackRequestFailed } from '../../adapters/slack';

/**
 * Whether asking Slack again later can help: it could not be reached, answered 5xx, or rate-limited us.
 * An `ok: false` answer (`channel_not_found`, `not_in_channel`, `message_not_found`) stays the same on
 * every retry, so it is logged for the operator instead of making Flux retry in vain.
 */
export function isTransientSlackFailure(err: unknown): boolean {
  return err instanceof SlackRequestFailed || err instanceof SlackRateLimited;
}
