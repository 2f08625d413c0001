/**
 * GitHub Flavored Markdown for text we did not write (a Slack display name, a flux line, a Kubernetes
 * name). On GitHub, `@login` notifies that account and `#123` or `owner/repo#123` links and back-references
 * an issue; raw HTML such as `</details>` is rendered. A zero-width space after `@` and `#` keeps the text
 * readable and inert; `&`, `<`, `>` become entities; Markdown's inline punctuation is backslash-escaped.
 */
const ZERO_WIDTH_SPACE = '\u200b';

export function escapeGithubText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/([@#])(?=[A-Za-z0-9])/g, `$1${ZERO_WIDTH_SPACE}`);
}

/** The longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...Array.from(text.matchAll(/`+/g), (run) => run[0].length));
}

/**
 * Inline code that `text` cannot end early: the delimiter is one backtick longer than any run inside
 * (CommonMark §6.1), padded with spaces when the text starts or ends with a backtick. Line breaks become
 * spaces, as GitHub would show them.
 */
export function githubCodeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A fenced code block that no line of `content` can close: the fence is longer than any run of backticks
 * in it (CommonMark §4.5: a closing fence must be at least as long as the opening one). Inside it GitHub
 * renders no HTML, mention or link, so `</details>` or `@login` in a diff stays text.
 */
export function githubCodeFence(content: string, info = ''): { open: string; close: string } {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content) + 1));
  return { open: `${fence}${info}\n`, close: `\n${fence}` };
}

/**
 * How a Slack user is named on GitHub (review bodies, PR comments, promote commits and PRs): a `<@U…>`
 * mention renders as nothing there, and `@name` would ping whichever GitHub account has that login.
 */
export function slackUserOnGithub(user: string, name?: string): string {
  return escapeGithubText(name ? `Slack user ${name} (${user})` : `Slack user ${user}`);
}
