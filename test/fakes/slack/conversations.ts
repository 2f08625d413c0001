import type { Channels, FakeMessage } from './chat';
import { fail, ok, str, type Params, type SlackRooms } from './shared';

/**
 * conversations.history and conversations.replies as Slack pages them: newest first in a channel's
 * history (top-level messages only; replies stay in their thread), oldest first in a thread (its parent
 * first), bounded by `oldest`/`latest` (exclusive unless `inclusive`), `limit` per page (default 100, at
 * most 999 for history and 1,000 for replies) and an opaque `next_cursor`. A message's `metadata` is in
 * the answer only with `include_all_metadata=true`, as Slack does.
 */

const DEFAULT_LIMIT = 100;

/** Slack's ts order: seconds, then the 6-digit fraction; a string compare works because both parts are fixed-width. */
const byTs = (a: FakeMessage, b: FakeMessage) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0);

/** A boolean argument: `true` in a JSON body, `true` or `1` in a form. */
function truthy(params: Params, key: string): boolean {
  if (params[key] === true) return true;
  const value = str(params, key);
  return value === 'true' || value === '1';
}

/** The page of `list` starting at the cursor (an offset, base64 as Slack's look opaque), or why not. */
function page(list: FakeMessage[], params: Params, maxLimit: number): { items: FakeMessage[]; nextCursor: string } | { problem: string } {
  const limit = Number(str(params, 'limit') ?? DEFAULT_LIMIT);
  if (!Number.isInteger(limit) || limit < 1) return { problem: 'invalid_limit' };
  const cursor = str(params, 'cursor');
  let offset = 0;
  if (cursor) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded) return { problem: 'invalid_cursor' };
    offset = Number(decoded[1]);
  }
  const size = Math.min(limit, maxLimit);
  const items = list.slice(offset, offset + size);
  const next = offset + size < list.length ? Buffer.from(`offset:${offset + size}`).toString('base64') : '';
  return { items, nextCursor: next };
}

/** Keeps the messages within `oldest` and `latest`, as Slack bounds both methods. */
function within(params: Params) {
  const oldest = str(params, 'oldest');
  const latest = str(params, 'latest');
  const inclusive = truthy(params, 'inclusive');
  return (m: FakeMessage) => {
    if (oldest && (inclusive ? m.ts < oldest : m.ts <= oldest)) return false;
    if (latest && (inclusive ? m.ts > latest : m.ts >= latest)) return false;
    return true;
  };
}

export function mountConversations(rooms: SlackRooms, channels: Channels): void {
  const shown = (params: Params) => {
    const withMetadata = truthy(params, 'include_all_metadata');
    return (m: FakeMessage) => {
      const { metadata: _metadata, ...message } = channels.botMessage(m);
      return withMetadata && m.metadata ? { ...message, metadata: m.metadata } : message;
    };
  };

  rooms.api('conversations.history', (params) => {
    const channel = str(params, 'channel');
    if (!channel || channels.unknownChannel(channel)) return fail('channel_not_found');
    if (channels.notMember(channel)) return fail('not_in_channel');
    const list = channels.messages.filter((m) => m.channel === channel && m.threadTs === undefined).filter(within(params)).sort(byTs).reverse();
    const result = page(list, params, 999);
    if ('problem' in result) return fail(result.problem);
    return ok({ messages: result.items.map(shown(params)), has_more: result.nextCursor !== '', response_metadata: { next_cursor: result.nextCursor } });
  });

  rooms.api('conversations.replies', (params) => {
    const channel = str(params, 'channel');
    if (!channel || channels.unknownChannel(channel)) return fail('channel_not_found');
    const ts = str(params, 'ts');
    const parent = channels.messages.find((m) => m.channel === channel && m.ts === ts && m.threadTs === undefined);
    if (!ts || !parent) return fail('thread_not_found');
    const replies = channels.messages.filter((m) => m.channel === channel && m.threadTs === ts);
    // The parent always leads the first page, whatever the bounds; the replies follow, oldest first.
    const list = [parent, ...replies.filter(within(params)).sort(byTs)];
    const result = page(list, params, 1000);
    if ('problem' in result) return fail(result.problem);
    return ok({ messages: result.items.map(shown(params)), has_more: result.nextCursor !== '', response_metadata: { next_cursor: result.nextCursor } });
  });
}
