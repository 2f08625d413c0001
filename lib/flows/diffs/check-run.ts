import { MAX_CHECK_OUTPUT_CHARS, type CheckRunConclusion, type CheckRunOutput } from '../../adapters/github';
import { completeDiffCheckRunWith, RUN_FLUX_DIFF_ACTION, type DiffCheckDeps, type DiffCheckTarget } from '../checks';
import { escapeGithubText, githubCodeFence, maskSecrets } from '../../core/sanitise';
import { displayReport, summaryLine } from './report-message';
import { flagsLine } from './risk-flags';
import { parseDiffReport } from '../../adapters/flux';
import type { StoredDiffOutcome } from './stored-outcome';

export type CheckRunDeps = DiffCheckDeps;

export type DiffCheckResult = { kind: 'changes' | 'no-changes'; report: string; outcome: StoredDiffOutcome } | { kind: 'failed'; error: string; hint: string };

/** Room kept under GitHub's limit for the fence and the notice of a cut. */
const NOTICE_ROOM = 300;

/** At most `limit` characters, cut at a line boundary, with a notice saying how much is left out. */
function cutAtLine(text: string, limit: number, notice: (lines: number) => string): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - NOTICE_ROOM);
  const kept = cut.slice(0, Math.max(0, cut.lastIndexOf('\n')));
  const omitted = text.slice(kept.length).split('\n').filter(Boolean).length;
  return `${kept}\n${notice(omitted)}`;
}

/**
 * A check run's conclusion and output: `success` with no changes, `neutral` with changes and no flag the
 * policy guards, `action_required` with one, `failure` when flux or the checkout failed. Title = counts,
 * summary = flags and counts, text = the diff fenced, each within GitHub's 65,535 characters.
 */
export function diffCheckOutput(result: DiffCheckResult): { conclusion: CheckRunConclusion; output: CheckRunOutput } {
  if (result.kind === 'failed') {
    const error = maskSecrets(result.error);
    const fence = githubCodeFence(error);
    const summary = cutAtLine(`flux diff failed:\n\n${fence.open}${error}${fence.close}\n\nWhat to check: ${escapeGithubText(result.hint)}`, MAX_CHECK_OUTPUT_CHARS, () => '_cut to fit_');
    return { conclusion: 'failure', output: { title: 'flux diff failed', summary } };
  }
  if (result.kind === 'no-changes') return { conclusion: 'success', output: { title: 'No changes', summary: 'The live cluster already matches this commit for this Kustomization.' } };
  const counts = summaryLine(parseDiffReport(result.report));
  const flags = result.outcome.flags ?? [];
  const guarded = new Set(result.outcome.guarded ?? []);
  const lines = [`**${counts}**`];
  if (flags.length > 0) {
    lines.push('', `**Risk flags:** ${escapeGithubText(flagsLine(flags, guarded))}`, ...flags.flatMap((f) => f.details).map((d) => `- ${escapeGithubText(d)}`));
    if (guarded.size > 0) lines.push('', 'An admin must approve this PR from Slack (`policy.adminApproval`).');
  }
  const summary = cutAtLine(lines.join('\n'), MAX_CHECK_OUTPUT_CHARS, (n) => `_${n} more lines cut to fit GitHub's limit._`);
  const conclusion = guarded.size > 0 ? 'action_required' : 'neutral';
  // As Post diff to PR (pr-actions.ts): a public repository's checks are public, and masked values still say
  // where a secret lands and that it changed. The counts and flags stay; the diff stays in Slack.
  if (result.outcome.substitutedSecrets && !result.outcome.privateRepository) {
    return { conclusion, output: { title: counts, summary, text: '_This diff shows where values of postBuild.substituteFrom Secrets land (masked), and the repository is public: the diff is in the Slack report only._' } };
  }
  const diff = maskSecrets(displayReport(result.report));
  const fence = githubCodeFence(diff, 'diff');
  const room = MAX_CHECK_OUTPUT_CHARS - fence.open.length - fence.close.length - NOTICE_ROOM;
  const body = diff.length <= room ? diff : cutAtLine(diff, room, () => '');
  const omitted = diff.length <= room ? 0 : diff.slice(body.length).split('\n').filter(Boolean).length;
  let text = `${fence.open}${body.trimEnd()}${fence.close}${omitted ? `\n\n_Diff cut at a line to fit GitHub's ${MAX_CHECK_OUTPUT_CHARS.toLocaleString('en')}-character limit: ${omitted.toLocaleString('en')} more lines are in the Slack report._` : ''}`;
  // The created objects' content, each collapsed, as long as the whole stays within GitHub's limit.
  for (const created of result.outcome.created ?? []) {
    const yaml = maskSecrets(created.yaml);
    const yamlFence = githubCodeFence(yaml, 'yaml');
    const section = `\n\n<details><summary>${escapeGithubText(`+ ${created.object} (created)`)}</summary>\n\n${yamlFence.open}${yaml}${yamlFence.close}\n\n</details>`;
    if (text.length + section.length > MAX_CHECK_OUTPUT_CHARS - NOTICE_ROOM) break;
    text += section;
  }
  return { conclusion, output: { title: counts, summary, text } };
}

/**
 * Completes the job's run on the diffed SHA with its conclusion and output, and the *Run flux diff* button
 * (`check_run.requested_action`). The run is the one made when the job was queued or flux started, or,
 * when neither could be made, a new one: once, whatever the retries (lib/flows/checks).
 */
export async function completeDiffCheckRun(deps: CheckRunDeps, target: DiffCheckTarget, result: DiffCheckResult): Promise<number> {
  return completeDiffCheckRunWith(deps, target, { ...diffCheckOutput(result), actions: [{ ...RUN_FLUX_DIFF_ACTION }] });
}
