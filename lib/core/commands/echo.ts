/**
 * What a user typed, quoted back in an answer: inline code with Slack's three control characters
 * escaped (`&`, `<`, `>`; Slack reads `<!here>` and links even inside code), so an echo can neither
 * ping, nor link, nor end its code span. Slack has no escape for a backtick, which would close the span
 * (or open one with a backtick of ours further on), so it is shown as the look-alike `ˋ` (U+02CB).
 * Small on purpose: it is in the Slack ingress bundle, whose size is a measured goal (README "Benchmark").
 */
export function echo(typed: string): string {
  return `\`${typed.replace(/[&<>`]/g, (c) => ESCAPES[c] ?? c)}\``;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '`': '\u02cb' };
