import type { JobRecord } from '../../adapters/store';
import { slackUserOnGithub } from '../../core/sanitise';
import { escapeMrkdwn } from '../../adapters/slack';

/** The requester of diffs queued by `autoDiff`: Fluxline itself, on a PR's open or push. */
export const AUTO_DIFF_REQUESTER = 'fluxline:autoDiff';

/** The requester of a diff asked for on GitHub (*Re-run*, *Run flux diff*): a GitHub login, never a Slack id. */
const GITHUB_REQUESTER_PREFIX = 'github:';

export function githubRequester(login: string): string {
  return `${GITHUB_REQUESTER_PREFIX}${login}`;
}

/** How a report names who asked: a Slack mention, the config key that asked, or the GitHub user. */
export function requestedBy(user: string): string {
  if (user === AUTO_DIFF_REQUESTER) return '`autoDiff` (config.yaml)';
  if (user.startsWith(GITHUB_REQUESTER_PREFIX)) return `${escapeMrkdwn(user.slice(GITHUB_REQUESTER_PREFIX.length))} on GitHub`;
  return `<@${user}>`;
}

/** The job's requester as GitHub shows them: `Slack user alice (U0ADMIN)`, never a pinging `@alice`. */
export function requesterOnGithub({ user, name }: JobRecord['requester']): string {
  return slackUserOnGithub(user, name);
}
