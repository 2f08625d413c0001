import type { ActionsBlock, Button, KnownBlock } from '@slack/web-api';
import { ACTIONS } from './actions';
import { BlockLimitExceeded } from './errors';
import { BLOCK_KIT } from './limits';
import { escapeMrkdwn, inlineCode, mrkdwnLink, truncate, truncateMiddle } from './mrkdwn';

/** What the PR notice of DESIGN §3 flow 1 shows. */
export interface PrNoticeView {
  /** `owner/repo` */
  repository: string;
  number: number;
  title: string;
  url: string;
  author: string;
  baseRef: string;
  headRef: string;
  /** `owner/repo` of the head; differs from `repository` for forks. */
  headRepository: string;
  headSha: string;
  fromFork: boolean;
  state: 'open' | 'draft' | 'merged' | 'closed';
  /** The first few watched paths the PR changes (callers pass at most 5). */
  matchedPaths: string[];
  /** How many watched paths it changes in all; the rest are summarised as "and N more". */
  matchedPathCount: number;
  /** One `Flux diff` button each; `value` is the encoded action, at most 2,000 characters (Slack's limit). */
  diffs: { kustomization: string; cluster: string; value: string }[];
  /** mrkdwn shown as a context line, e.g. why a fork PR has no diff buttons. The caller escapes what it interpolates. */
  note?: string;
}

const STATE_BADGE: Record<PrNoticeView['state'], string> = {
  open: ':large_green_circle: *Open*',
  draft: ':white_circle: *Draft*',
  merged: ':large_purple_circle: *Merged*',
  closed: ':red_circle: *Closed*',
};

/** GitHub allows 256-character titles and 255-character refs; paths can be longer. Keep the sections readable. */
const TITLE_MAX = 256;
const REF_MAX = 100;
const PATH_MAX = 200;
const SHORT_SHA = 7;

function headerText(view: PrNoticeView): string {
  const head = view.fromFork ? `${view.headRepository}:${view.headRef}` : view.headRef;
  const title = `*${mrkdwnLink(view.url, truncate(view.title, TITLE_MAX))}*`;
  const facts = [
    `${escapeMrkdwn(view.repository)}#${view.number} by ${escapeMrkdwn(view.author)}`,
    `${inlineCode(truncateMiddle(view.baseRef, REF_MAX))} ← ${inlineCode(truncateMiddle(head, REF_MAX))}`,
    `head ${inlineCode(view.headSha.slice(0, SHORT_SHA))}`,
  ];
  return `${STATE_BADGE[view.state]} · ${title}\n${facts.join(' · ')}`;
}

function pathsText(view: PrNoticeView): string {
  if (view.matchedPaths.length === 0) return '_The current head changes no watched path._';
  const lines = view.matchedPaths.map((path) => `• ${inlineCode(truncateMiddle(path, PATH_MAX))}`);
  const more = view.matchedPathCount - view.matchedPaths.length;
  if (more > 0) lines.push(`…and ${more} more`);
  return `*Watched paths changed (${Math.max(view.matchedPathCount, view.matchedPaths.length)})*\n${lines.join('\n')}`;
}

/** `Flux diff: <kustomization> @ <cluster>` within Slack's 75-character button label, shortening the kustomization first. */
export function diffButtonLabel(kustomization: string, cluster: string): string {
  const prefix = 'Flux diff: ';
  const full = `${prefix}${kustomization} @ ${cluster}`;
  if (Array.from(full).length <= BLOCK_KIT.buttonText) return full;
  const room = BLOCK_KIT.buttonText - Array.from(`${prefix} @ ${cluster}`).length;
  if (room >= 12) return `${prefix}${truncateMiddle(kustomization, room)} @ ${cluster}`;
  return truncate(full, BLOCK_KIT.buttonText);
}

function diffButton(diff: PrNoticeView['diffs'][number], index: number): Button {
  if (diff.value.length > BLOCK_KIT.buttonValue) {
    throw new BlockLimitExceeded(`the Flux diff button value of ${diff.kustomization} @ ${diff.cluster} is ${diff.value.length} characters; Slack allows ${BLOCK_KIT.buttonValue}`);
  }
  return {
    type: 'button',
    action_id: `${ACTIONS.fluxDiff}:${index}`,
    text: { type: 'plain_text', text: diffButtonLabel(diff.kustomization, diff.cluster) },
    value: diff.value,
  };
}

function viewPrButton(url: string): Button {
  if (url.length > BLOCK_KIT.buttonUrl) throw new BlockLimitExceeded(`the PR URL is ${url.length} characters; Slack allows ${BLOCK_KIT.buttonUrl}`);
  return { type: 'button', action_id: ACTIONS.viewPr, text: { type: 'plain_text', text: 'View PR' }, url };
}

/** Slack allows 25 elements per actions block: one block per 25 buttons. */
function actionsBlocks(buttons: Button[]): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < buttons.length; i += BLOCK_KIT.actionsElements) {
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + BLOCK_KIT.actionsElements) });
  }
  return blocks;
}

/** Past this many buttons a notice is a wall nobody reads; the rest are summarised in a context line. */
const MAX_DIFF_BUTTONS = 100;

/**
 * How many diff buttons fit: within Slack's 50 blocks (one kept free to say what was left out) and within
 * the characters Slack accepts per message (`msg_blocks_too_long` past ~13 k, slackapi/bolt-js#2509).
 */
function diffButtonsAllowed(view: PrNoticeView, fixed: KnownBlock[]): number {
  const actionBlocks = BLOCK_KIT.blocksPerMessage - fixed.length - 1;
  const byBlocks = Math.min(actionBlocks * BLOCK_KIT.actionsElements - 1, MAX_DIFF_BUTTONS);
  let chars = JSON.stringify(fixed).length + 'View PR'.length;
  let count = 0;
  for (const diff of view.diffs.slice(0, byBlocks)) {
    chars += diffButtonLabel(diff.kustomization, diff.cluster).length;
    if (chars > BLOCK_KIT.safeMessageChars) break;
    count++;
  }
  return count;
}

/**
 * The PR's one Slack message: state, linked title, `owner/repo#number`, author, `base ← head`, short head
 * SHA, the watched paths it changes, then a `Flux diff` button per diff target and a `View PR` link.
 */
export function prNoticeMessage(view: PrNoticeView): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headerText(view) } },
    { type: 'section', text: { type: 'mrkdwn', text: pathsText(view) } },
  ];
  if (view.note) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(view.note, BLOCK_KIT.contextText) }] });

  const shown = view.diffs.slice(0, diffButtonsAllowed(view, blocks));
  blocks.push(...actionsBlocks([...shown.map(diffButton), viewPrButton(view.url)]));
  const hidden = view.diffs.length - shown.length;
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${hidden} more diff targets have no button (one Slack message cannot hold them all): use \`/flux diff ks NAME --github-ref ${view.number}\`.` }],
    });
  }

  const state = view.state === 'open' ? '' : ` (${view.state})`;
  const text = `${escapeMrkdwn(view.repository)}#${view.number}${state}: ${escapeMrkdwn(truncate(view.title, TITLE_MAX))} by ${escapeMrkdwn(view.author)}`;
  return { text, blocks };
}
