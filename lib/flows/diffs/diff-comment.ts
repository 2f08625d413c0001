import { MAX_COMMENT_CHARS } from '../../adapters/github';
import { reportSections } from '../../adapters/flux';
import { escapeGithubText, githubCodeFence, maskSecrets } from '../../core/sanitise';

export interface DiffCommentParts {
  marker: string;
  title: string;
  headline: string;
  diff: string;
  /** The stored report was already cut to fit DynamoDB; say so. */
  storedTruncated: boolean;
  slackLink?: string;
  /** The content of the objects the diff creates (flux build), shown inside their section. */
  created?: readonly { object: string; yaml: string }[];
}

/** Room kept for the notice and closing tags around a truncated diff. */
const SLACK = 400;
/** A summary line is a flux object line; past this it is cut (GitHub shows it on one line). */
const SUMMARY_CHARS = 200;

interface Section {
  summary: string;
  text: string;
}

/** The diff cut into one section per object (and per nested Kustomization) by the report's one parser. */
function objectSections(diff: string): Section[] {
  return reportSections(diff).map((section) => ({ summary: section.heading, text: section.text }));
}

/**
 * The sticky PR comment: summary, then one collapsed `<details>` per object of the diff, so a reviewer opens
 * the objects they care about. GitHub rejects bodies over 65,536 characters, so a longer diff keeps the
 * objects that fit (the first one cut at a line boundary if it alone is too long) and says where the whole
 * diff is — every fence and `<details>` stays closed, so the comment still renders.
 */
export function diffComment(parts: DiffCommentParts, limit = MAX_COMMENT_CHARS): string {
  const head = [parts.marker, `### ${parts.title}`, '', parts.headline].join('\n');
  if (!parts.diff) return head;
  // Masked here too (idempotent), and fenced longer than any run of backticks in it, so no line of the
  // diff can close the fence and then `</details>`, ping with `@login` or render HTML.
  const diff = maskSecrets(parts.diff);
  const fence = githubCodeFence(diff, 'diff');
  const contents = new Map((parts.created ?? []).map((c) => [`► ${c.object} created`, maskSecrets(c.yaml)]));
  const render = (section: Section) => {
    const summary = section.summary.length > SUMMARY_CHARS ? `${section.summary.slice(0, SUMMARY_CHARS - 1)}…` : section.summary;
    // A created object's section also holds its content as flux builds it (flux diff prints only the name).
    const content = contents.get(section.summary);
    const yaml = content === undefined ? undefined : githubCodeFence(content, 'yaml');
    const built = yaml ? `\n\n${yaml.open}${content}${yaml.close}` : '';
    return `\n\n<details><summary>${escapeGithubText(summary)}</summary>\n\n${fence.open}${section.text}${fence.close}${built}\n\n</details>`;
  };
  const where = parts.slackLink ? `the full diff is in the [Slack report](${parts.slackLink})` : 'the full diff is in the Slack report';
  const notes = parts.storedTruncated ? `\n\n_The stored report was cut to fit; ${where}._` : '';
  const sections = objectSections(diff);
  const whole = head + sections.map(render).join('') + notes;
  if (whole.length <= limit) return whole;

  const budget = limit - head.length - SLACK;
  let body = '';
  /** Characters of the diff shown, to count the lines left out. */
  let shown = 0;
  for (const section of sections) {
    const rendered = render(section);
    if (body.length + rendered.length > budget) break;
    body += rendered;
    shown += section.text.length + 1;
  }
  const [first] = sections;
  if (shown === 0 && first) {
    // One object longer than the comment: its first lines, cut at a line boundary.
    const room = Math.max(0, budget - render({ ...first, text: '' }).length);
    const cut = first.text.slice(0, room);
    const kept = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
    body = render({ ...first, text: kept });
    shown = kept.length;
  }
  const omitted = diff.slice(shown).split('\n').filter(Boolean).length;
  return `${head}${body}\n\n_Diff truncated to fit GitHub's ${limit.toLocaleString('en')}-character comment limit: ${omitted.toLocaleString('en')} more lines; ${where}._`;
}
