/** Longer echoes are cut: a refusal names what was typed, it does not replay a paste. */
const MAX_ECHO = 100;

/**
 * What a user typed, quoted back in an answer: inline code with Slack's three control characters
 * escaped (`&`, `<`, `>`; Slack reads `<!here>` and links even inside code), so an echo can neither
 * ping, nor link, nor end its code span. Slack has no escape for a backtick, which would close the span
 * (or open one with a backtick of ours further on), so it is shown as the look-alike `ˋ` (U+02CB).
 */
export function echo(typed: string): string {
  const chars = Array.from(typed);
  const cut = chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO - 1).join('')}…` : typed;
  const escaped = cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`/g, '\u02cb');
  return `\`${escaped}\``;
}
