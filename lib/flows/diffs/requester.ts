import type { JobRecord } from '../../adapters/store';
import { slackUserOnGithub } from '../../core/sanitise';

/** The requester of diffs queued by `autoDiff`: Fluxline itself, on a PR's open or push. */
export const AUTO_DIFF_REQUESTER = 'fluxline:autoDiff';

/** How a report names who asked: a Slack mention, or the config key that asked. */
export function requestedBy(user: string): string {
  return user === AUTO_DIFF_REQUESTER ? '`autoDiff` (config.yaml)' : `<@${user}>`;
}

/** The job's requester as GitHub shows them: `Slack user alice (U0ADMIN)`, never a pinging `@alice`. */
export function requesterOnGithub({ user, name }: JobRecord['requester']): string {
  return slackUserOnGithub(user, name);
}
