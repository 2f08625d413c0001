import { MAX_COMMENT_CHARS } from '../../adapters/github';
import { githubCodeFence, maskSecrets } from '../../core/sanitise';

export interface DiffCommentParts {
  marker: string;
  title: string;
  headline: string;
  diff: string;
  /** The stored report was already cut to fit DynamoDB; say so. */
  storedTruncated: boolean;
  slackLink?: string;
}

/** Room kept for the notice and closing tags around a truncated diff. */
const SLACK = 400;

/**
 * The sticky PR comment: summary, then the diff in a collapsed `<details>`. GitHub rejects bodies over
 * 65,536 characters, so a longer diff is cut at a line boundary and the comment says where the whole
 * diff is — the fence and the `<details>` stay closed, so the comment still renders.
 */
export function diffComment(parts: DiffCommentParts, limit = MAX_COMMENT_CHARS): string {
  const head = [parts.marker, `### ${parts.title}`, '', parts.headline].join('\n');
  if (!parts.diff) return head;
  // Masked here too (idempotent), and fenced longer than any run of backticks in it, so no line of the
  // diff can close the fence and then `</details>`, ping with `@login` or render HTML.
  const diff = maskSecrets(parts.diff);
  const fence = githubCodeFence(diff, 'diff');
  const open = `\n\n<details><summary>Diff</summary>\n\n${fence.open}`;
  const close = `${fence.close}\n\n</details>`;
  const where = parts.slackLink ? `the full diff is in the [Slack report](${parts.slackLink})` : 'the full diff is in the Slack report';
  const notes = parts.storedTruncated ? `\n\n_The stored report was cut to fit; ${where}._` : '';
  const whole = head + open + diff + close + notes;
  if (whole.length <= limit) return whole;

  const budget = limit - head.length - open.length - close.length - SLACK;
  const cut = diff.slice(0, Math.max(0, budget));
  const kept = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  const omitted = diff.slice(kept.length).split('\n').filter(Boolean).length;
  return `${head}${open}${kept}${close}\n\n_Diff truncated to fit GitHub's ${limit.toLocaleString('en')}-character comment limit: ${omitted.toLocaleString('en')} more lines; ${where}._`;
}
