import type { WebClient } from '@slack/web-api';
import { logger } from '../../core/log';
import { SlackApiError } from './errors';
import type { FindPosted, PostedMessage } from './port';
import { withRetry, type RetryPolicy } from './retry';

/**
 * The metadata event type of every message Fluxline posts with an effect id. Slack keeps message
 * metadata with the message and returns it from conversations.history/replies when asked
 * (`include_all_metadata`), which is what lets a retry find a post whose answer was lost.
 */
export const POST_EVENT_TYPE = 'fluxline_post';

export function postMetadata(effectId: string): { event_type: string; event_payload: { id: string } } {
  return { event_type: POST_EVENT_TYPE, event_payload: { id: effectId } };
}

/** Slack's clock and ours differ by a little; a post is looked for from this long before its intent. */
const CLOCK_SKEW_SECONDS = 60;
/** Pages read before giving up: a busy channel's last 1,000 messages reach far past any retry. */
const MAX_PAGES = 5;
const PAGE_SIZE = 200;
/** Codes that mean the bot may not read the conversation: an install without the history scopes. */
const CANNOT_READ = new Set(['missing_scope', 'not_in_channel', 'channel_not_found', 'thread_not_found']);

interface ListedMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/**
 * Looks for the message carrying `effectId` in the channel's history (or the thread's replies) since a
 * little before the intent was recorded. An install that may not read history (no `channels:history`)
 * finds nothing, logs why, and the caller posts: at worst the old behaviour, never a lost message.
 */
export async function findPosted(client: WebClient, policy: RetryPolicy, { channel, threadTs, effectId, since }: FindPosted): Promise<PostedMessage | undefined> {
  const oldest = String(Math.max(0, Math.floor(since.getTime() / 1000) - CLOCK_SKEW_SECONDS));
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const answer = threadTs
        ? await withRetry('conversations.replies', policy, () => client.conversations.replies({ channel, ts: threadTs, oldest, limit: PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}) }))
        : await withRetry('conversations.history', policy, () => client.conversations.history({ channel, oldest, limit: PAGE_SIZE, include_all_metadata: true, ...(cursor ? { cursor } : {}) }));
      const messages = (answer.messages ?? []) as ListedMessage[];
      const found = messages.find((m) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload?.id === effectId);
      if (found?.ts) return { channel, ts: found.ts };
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  } catch (err) {
    if (err instanceof SlackApiError && CANNOT_READ.has(err.code)) {
      logger.warn('cannot read the conversation to find an earlier post; posting without checking (grant channels:history and groups:history)', { channel, effectId, code: err.code });
      return undefined;
    }
    throw err;
  }
}
