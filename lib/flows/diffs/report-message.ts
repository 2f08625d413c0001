import type { KnownBlock } from '@slack/web-api';
import { encodeAction } from '../../core/commands';
import { displayReport, parseDiffReport, type DiffSummary, type ObjectRef } from '../../adapters/flux';
import { ACTIONS, codeSections, escapeCode, escapeMrkdwn, inlineCode, mrkdwnLink } from '../../adapters/slack';
import { requestedBy } from './requester';
import { flagsLine, type RiskFlag } from './risk-flags';
import type { RiskFlagId } from '../../core/config';
import type { StoredDiffOutcome } from './stored-outcome';

export interface DiffReportContext {
  jobId: string;
  kustomization: string;
  cluster: string;
  requester: string;
}

/** What a report is built from: the stored job outcome and report text, so it can be rebuilt any time. */
export interface StoredDiff {
  result: 'changes' | 'no-changes';
  report: string;
  pr: { url: string; repository: string; number: number; headSha: string };
  /** What was compared with what, warnings and notes (absent on reports stored before they existed). */
  context?: StoredDiffOutcome;
}

export interface DiffReportMessage {
  text: string;
  blocks: KnownBlock[];
  /** The whole report, to upload as a file when it does not fit the message. */
  upload?: { filename: string; title: string; content: string };
}

/** Objects listed by name in the summary before "and N more". */
const OBJECTS_LISTED = 8;

function objectName(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function summaryLine(summary: DiffSummary): string {
  const { created, drifted, deleted, skipped } = summary.counts;
  // flux says "drifted" for any object the merge would change; a reviewer reads "changed".
  const parts = [`${created} created`, `${drifted} changed`, `${deleted} deleted`];
  if (skipped) parts.push(`${skipped} skipped`);
  return parts.join(' · ');
}

/** The stored report stays flux's own, so it can be parsed again; what reviewers read is displayReport's (lib/adapters/flux). */
export { displayReport };

function objectsList(summary: DiffSummary): string {
  const rows = [
    ...summary.drifted.map((o) => `± ${objectName(o)}`),
    ...summary.created.map((o) => `+ ${objectName(o)}`),
    ...summary.deleted.map((o) => `- ${objectName(o)}`),
  ];
  const shown = rows.slice(0, OBJECTS_LISTED).map(inlineCode);
  if (rows.length > OBJECTS_LISTED) shown.push(`and ${rows.length - OBJECTS_LISTED} more`);
  return shown.join('\n');
}

/** Created objects previewed in Slack, and lines of each: Slack cannot collapse, the PR comment and check run show all. */
const CREATED_PREVIEWED = 3;
const CREATED_PREVIEW_LINES = 8;

/** The YAML's lines without `apiVersion`, `kind` and `metadata`, which the object's name already says: the preview shows what it does. */
function withoutHeader(yaml: string): string[] {
  const kept: string[] = [];
  let skipping = false;
  for (const line of yaml.trimEnd().split('\n')) {
    if (!/^\s/.test(line)) skipping = /^(apiVersion|kind|metadata):/.test(line);
    if (!skipping) kept.push(line);
  }
  return kept;
}

/**
 * Slack's stand-in for the collapsed content of created objects: the first lines of the first few, in one
 * section within its 3,000 characters, saying where the rest is.
 */
function createdPreview(created: readonly { object: string; yaml: string }[]): string | undefined {
  if (created.length === 0) return undefined;
  const room = Math.floor((2_700 - 200) / Math.min(created.length, CREATED_PREVIEWED));
  const parts = created.slice(0, CREATED_PREVIEWED).map(({ object, yaml }) => {
    const lines = withoutHeader(yaml);
    const shown = escapeCode(lines.slice(0, CREATED_PREVIEW_LINES).join('\n')).slice(0, room);
    const more = lines.length > CREATED_PREVIEW_LINES ? `\n… ${lines.length - CREATED_PREVIEW_LINES} more lines` : '';
    return `*+ ${escapeMrkdwn(object.slice(0, 150))}*\n\`\`\`${shown}${more}\`\`\``;
  });
  const rest = created.length > CREATED_PREVIEWED ? `\nand ${created.length - CREATED_PREVIEWED} more created objects.` : '';
  return `${parts.join('\n')}${rest}\n_Whole content: Post diff to PR, or the check run._`;
}

/** Details (images, charts, replicas) listed under the flags line before "and N more". */
const DETAILS_LISTED = 6;

/** The flags line (most severe first, with counts), then what images, charts and replicas change to. */
function flagsSection(flags: RiskFlag[], guarded: ReadonlySet<RiskFlagId>): string {
  const details = flags.flatMap((flag) => flag.details);
  const shown = details.slice(0, DETAILS_LISTED).map((d) => `• ${escapeMrkdwn(d)}`);
  if (details.length > DETAILS_LISTED) shown.push(`• and ${details.length - DETAILS_LISTED} more`);
  return [`:warning: *${escapeMrkdwn(flagsLine(flags, guarded))}*`, ...shown].join('\n').slice(0, 2900);
}

/** Slack caps a confirm dialog's text at 300 characters. */
const CONFIRM_CHARS = 300;

/** "Diffed the test merge `abc1234` … · path `clusters/stage` · declared in `…`", then the cluster's revision. */
export function comparedLines(context: StoredDiffOutcome): string[] {
  const lines: string[] = [];
  if (context.diffedSha) {
    const what =
      context.diffed === 'merge'
        ? `the test merge ${inlineCode(context.diffedSha.slice(0, 7))} into ${inlineCode(context.baseRef ?? 'base')}`
        : `${inlineCode(context.diffedSha.slice(0, 7))} (head, ${context.behindBy ?? 0} commit${context.behindBy === 1 ? '' : 's'} behind base)`;
    const where = [
      context.path ? `path ${inlineCode(context.path)}` : '',
      context.kustomizationFile ? `Kustomization from ${inlineCode(context.kustomizationFile)}` : 'live Kustomization spec',
      context.fluxVersion ? `flux ${inlineCode(context.fluxVersion)}` : '',
    ].filter(Boolean);
    lines.push(`Diffed ${what} against the live cluster · ${where.join(' · ')}`);
  }
  if (context.baseSha) lines.push(`Cluster applied ${inlineCode(context.appliedRevision ?? 'nothing yet')}, base is ${inlineCode(context.baseSha.slice(0, 7))}`);
  return lines;
}

function contextBlocks(context: StoredDiffOutcome | undefined): KnownBlock[] {
  if (!context) return [];
  const blocks: KnownBlock[] = [];
  const compared = comparedLines(context);
  if (compared.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: compared.join('\n') }] });
  const warnings = context.warnings ?? [];
  if (warnings.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: warnings.map((w) => `:warning: ${escapeMrkdwn(w)}`).join('\n').slice(0, 2900) } });
  const notes = context.notes ?? [];
  if (notes.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: notes.map(escapeMrkdwn).join('\n').slice(0, 2900) }] });
  return blocks;
}

/** Approve carries the warnings: Slack asks the approver to confirm with them in front of their eyes. */
function approveConfirm(warnings: string[]): Record<string, unknown> {
  if (warnings.length === 0) return {};
  const text = warnings.join(' · ');
  return {
    confirm: {
      title: { type: 'plain_text', text: 'Approve despite warnings?' },
      text: { type: 'plain_text', text: text.length > CONFIRM_CHARS ? `${text.slice(0, CONFIRM_CHARS - 1)}…` : text },
      confirm: { type: 'plain_text', text: 'Approve' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
}

function actionButtons(context: DiffReportContext, run: StoredDiff): KnownBlock {
  return {
    type: 'actions',
    block_id: `diff-actions:${context.jobId}`,
    elements: [
      { type: 'button', action_id: `${ACTIONS.postDiff}:${context.jobId}`, text: { type: 'plain_text', text: 'Post diff to PR' }, value: encodeAction({ type: 'post-diff', jobId: context.jobId }) },
      {
        type: 'button',
        action_id: `${ACTIONS.approvePr}:${context.jobId}`,
        style: 'primary',
        text: { type: 'plain_text', text: 'Approve PR' },
        value: encodeAction({ type: 'approve', jobId: context.jobId }),
        ...approveConfirm(run.context?.warnings ?? []),
      },
      { type: 'button', action_id: `${ACTIONS.viewPr}:${context.jobId}`, text: { type: 'plain_text', text: 'View PR' }, url: run.pr.url },
    ],
  };
}

/**
 * The diff report as one Slack message: summary first, then the diff in code blocks within Block Kit
 * limits. When the diff does not fit (Slack rejects messages past ~13 k characters of blocks), the
 * whole diff goes up as a file and the message keeps the summary AND the buttons — unlike Botkube,
 * whose uploaded reports lose them.
 */
export function diffReportMessage(context: DiffReportContext, run: StoredDiff): DiffReportMessage {
  const what = `${inlineCode(context.kustomization)} on ${inlineCode(context.cluster)} for ${mrkdwnLink(run.pr.url, `${run.pr.repository}#${run.pr.number}`)} at ${inlineCode(run.pr.headSha.slice(0, 7))}`;
  const head: KnownBlock[] = [];
  if (run.result === 'no-changes') {
    // Never a bare "No changes" while the PR changes files this diff did not read.
    const uncovered = run.context?.uncoveredCount ?? 0;
    const headline = uncovered > 0 ? `:white_check_mark: *No changes* in what this diff reads: ${what} matches the live cluster, but ${uncovered} changed file${uncovered === 1 ? ' is' : 's are'} not covered.` : `:white_check_mark: *No changes*: ${what} matches the live cluster.`;
    head.push({ type: 'section', text: { type: 'mrkdwn', text: headline } }, ...contextBlocks(run.context));
    return { text: `No changes: ${escapeMrkdwn(context.kustomization)} on ${escapeMrkdwn(context.cluster)}`, blocks: [...head, actionButtons(context, run)] };
  }
  const summary = parseDiffReport(run.report);
  head.push({ type: 'section', text: { type: 'mrkdwn', text: `:mag: *Flux diff* of ${what}: *${summaryLine(summary)}*` } });
  const flags = run.context?.flags ?? [];
  if (flags.length > 0) head.push({ type: 'section', text: { type: 'mrkdwn', text: flagsSection(flags, new Set(run.context?.guarded ?? [])) } });
  head.push(...contextBlocks(run.context));
  const objects = objectsList(summary);
  if (objects) head.push({ type: 'section', text: { type: 'mrkdwn', text: objects } });
  const created = createdPreview(run.context?.created ?? []);
  if (created) head.push({ type: 'section', text: { type: 'mrkdwn', text: created } });
  const sections = codeSections(displayReport(run.report), { maxBlocks: 50 - head.length - 2 });
  const footer: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `Requested by ${requestedBy(context.requester)} · job ${inlineCode(context.jobId)}` }] };
  const text = `Flux diff of ${escapeMrkdwn(context.kustomization)} on ${escapeMrkdwn(context.cluster)}: ${summaryLine(summary)}`;
  if (sections.complete) return { text, blocks: [...head, ...sections.blocks, actionButtons(context, run), footer] };
  return {
    text,
    blocks: [
      ...head,
      { type: 'section', text: { type: 'mrkdwn', text: `The diff is ${run.report.length.toLocaleString('en')} characters, too long for a message: it is attached as a file.` } },
      actionButtons(context, run),
      footer,
    ],
    upload: {
      filename: `flux-diff-${context.cluster}-${context.kustomization.replace('/', '-')}-${run.pr.headSha.slice(0, 7)}.diff`,
      title: `Flux diff of ${context.kustomization} on ${context.cluster} (${run.pr.repository}#${run.pr.number})`,
      content: displayReport(run.report),
    },
  };
}
