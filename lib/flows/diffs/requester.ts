import type { JobRecord } from '../../adapters/store';

/** The requester of diffs queued by `autoDiff`: Fluxline itself, on a PR's open or push. */
export const AUTO_DIFF_REQUESTER = 'fluxline:autoDiff';

/** How a report names who asked: a Slack mention, or the config key that asked. */
export function requestedBy(user: string): string {
  return user === AUTO_DIFF_REQUESTER ? '`autoDiff` (config.yaml)' : `<@${user}>`;
}

/** How a Slack user is named on GitHub, where a `<@U…>` mention renders as nothing. */
export function requesterOnGithub({ user, name }: JobRecord['requester']): string {
  return name ? `@${name} (Slack ${user})` : `Slack user ${user}`;
}
