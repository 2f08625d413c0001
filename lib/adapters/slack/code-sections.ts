import type { KnownBlock } from '@slack/web-api';
import { BLOCK_KIT } from './limits';
import { escapeMrkdwn } from './mrkdwn';

export interface CodeSectionsOptions {
  /** Most section blocks to produce: what is left of the message's 50 after its other blocks. */
  maxBlocks: number;
  /**
   * Most characters across the produced sections, fences included. Slack rejects a message whose blocks
   * carry ~13,200 characters (`msg_blocks_too_long`, slackapi/bolt-js#2509), and the caller adds its own.
   * @default 10_000
   */
  maxChars?: number;
}

export interface CodeSections {
  blocks: KnownBlock[];
  /** false when the text did not fit: `blocks` then holds only its beginning, and the caller should upload a file. */
  complete: boolean;
}

const OPEN = '```\n';
const CLOSE = '\n```';
/** A section's text is at most 3,000 characters, fences included. */
const BODY_MAX = BLOCK_KIT.sectionText - OPEN.length - CLOSE.length;
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Escapes text for a ``` block: `&`, `<`, `>` as everywhere in mrkdwn (Slack still reads `<!channel>`
 * and links inside code), and a zero-width space after every backtick that precedes another, so no run
 * of three can close the fence early.
 */
export function escapeCode(text: string): string {
  return escapeMrkdwn(text).replace(/`(?=`)/g, `\`${ZERO_WIDTH_SPACE}`);
}

/**
 * Where to cut so the piece does not end inside an `&amp;` entity, between a backtick and the zero-width
 * space that escapes it, or between the halves of a surrogate pair.
 */
function safeCut(line: string, at: number): number {
  const entityStart = line.lastIndexOf('&', at - 1);
  if (entityStart >= 0 && entityStart > at - 5) {
    const entity = /^&(amp|lt|gt);/.exec(line.slice(entityStart));
    if (entity && entityStart + entity[0].length > at) return entityStart;
  }
  if (line[at] === ZERO_WIDTH_SPACE && line[at - 1] === '`') return at - 1;
  const code = line.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/** A single line longer than a section is hard-split: the reader sees it wrap across two code blocks. */
function hardSplit(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = safeCut(rest, max);
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Packs lines greedily into bodies of at most `max` characters, breaking only between lines when it can. */
function packLines(lines: string[], max: number): string[] {
  const bodies: string[] = [];
  let current: string | undefined;
  for (const line of lines) {
    for (const piece of hardSplit(line, max)) {
      if (current === undefined) current = piece;
      else if (current.length + 1 + piece.length <= max) current += `\n${piece}`;
      else {
        bodies.push(current);
        current = piece;
      }
    }
  }
  if (current !== undefined) bodies.push(current);
  return bodies;
}

/**
 * Splits a long text (a diff) into mrkdwn section blocks each holding one ``` code block within Slack's
 * 3,000-character section limit, at line boundaries. Stops at `maxBlocks` sections or `maxChars`
 * characters and reports `complete: false`, so the caller can upload the whole text as a file instead.
 */
export function codeSections(text: string, options: CodeSectionsOptions): CodeSections {
  const maxChars = options.maxChars ?? BLOCK_KIT.safeMessageChars;
  if (text === '') return { blocks: [], complete: true };
  const blocks: KnownBlock[] = [];
  let used = 0;
  for (const body of packLines(escapeCode(text).split('\n'), BODY_MAX)) {
    const section = `${OPEN}${body}${CLOSE}`;
    if (blocks.length >= options.maxBlocks || used + section.length > maxChars) return { blocks, complete: false };
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section } });
    used += section.length;
  }
  return { blocks, complete: true };
}
