import type { JobRecord } from '../../adapters/store';
import { escapeGithubText } from '../../core/sanitise';

/** The requester of diffs queued by `autoDiff`: Fluxline itself, on a PR's open or push. */
export const AUTO_DIFF_REQUESTER = 'fluxline:autoDiff';

/** How a report names who asked: a Slack mention, or the config key that asked. */
export function requestedBy(user: string): string {
  return user === AUTO_DIFF_REQUESTER ? '`autoDiff` (config.yaml)' : `<@${user}>`;
}

/**
 * How a Slack user is named on GitHub, where a `<@U…>` mention renders as nothing and `@name` would ping
 * whichever GitHub account has that login: `Slack user alice (U0ADMIN)`, escaped as GitHub markdown.
 */
export function requesterOnGithub({ user, name }: JobRecord['requester']): string {
  return escapeGithubText(name ? `Slack user ${name} (${user})` : `Slack user ${user}`);
}
