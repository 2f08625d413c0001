import type { KnownBlock } from '@slack/web-api';
import { BLOCK_KIT } from './limits';
import { truncate } from './mrkdwn';

export interface ContextMessage {
  channel: string;
  threadTs?: string;
  text: string;
  blocks: KnownBlock[];
}

/**
 * A small, quiet message — one context block of mrkdwn lines — ready for `postMessage`, e.g. a thread reply
 * saying new commits were pushed. The lines are mrkdwn: the caller escapes what it interpolates.
 */
export function contextMessage(channel: string, threadTs: string | undefined, lines: string[]): ContextMessage {
  const text = truncate(lines.join('\n'), BLOCK_KIT.contextText);
  return {
    channel,
    ...(threadTs ? { threadTs } : {}),
    text,
    blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }],
  };
}
