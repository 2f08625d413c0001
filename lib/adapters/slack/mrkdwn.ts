/**
 * Slack parses `&`, `<` and `>` as control characters in mrkdwn (links, mentions, `<!channel>`), so
 * text we did not write — PR titles, branch names, diff lines — must have exactly these three escaped
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>` with both parts escaped; a `|` in the URL would end it early, so it is percent-encoded. */
export function mrkdwnLink(url: string, label: string): string {
  return `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(label)}>`;
}

/** Inline code for an outside string; a backtick inside would end the span, so such strings go unquoted. */
export function inlineCode(text: string): string {
  const escaped = escapeMrkdwn(text);
  return text.includes('`') ? escaped : `\`${escaped}\``;
}

/** `a`, `b`, `c`: names (clusters, flags, versions) listed the way Slack shows code. */
export function inlineCodeList(names: readonly string[]): string {
  return names.map(inlineCode).join(', ');
}

/**
 * Cuts `text` to at most `max` characters, ending with `…`. Counts code points, not UTF-16 units, so an
 * emoji is never split in half.
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Like `truncate`, but keeps both ends (`flux-system/…/podinfo`): the tail of a path is what tells two apart. */
export function truncateMiddle(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max < 3) return truncate(text, max);
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}
