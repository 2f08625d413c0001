import { readBlocks } from './blocks';
import { BOT, fail, isRecord, ok, str, structured, type Answer, type Params, type SlackRooms } from './shared';

/**
 * chat.postMessage, chat.update and chat.postEphemeral: messages kept per channel so tests can read what
 * a channel shows, threads that must hang off a top-level message, Slack's `ts`, text limits, and the
 * blocks validated by blocks.ts.
 */

export interface FakeMessage {
  channel: string;
  ts: string;
  /** The parent's ts when this is a thread reply. */
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** When chat.update last changed it (ISO 8601). */
  updatedAt?: string;
  /** Message metadata as posted (`event_type`, `event_payload`); chat.update keeps it unless it sends its own. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  threadTs?: string;
  blocks?: unknown[];
  messageTs: string;
}

export interface ChannelOptions {
  /** When given, other channel IDs answer `channel_not_found`. */
  channels?: string[];
  /** Public channels the bot is not a member of (see FakeSlackOptions). */
  notMemberOf?: string[];
  /** Accept replies to thread parents this fake never saw (see FakeSlackOptions). */
  acceptUnknownThreadParents?: boolean;
}

/** The channels' messages, which files.ts also threads under. */
export interface Channels {
  messages: FakeMessage[];
  ephemerals: FakeEphemeral[];
  /** Slack's ts: `<seconds>.<6 digits>`, unique per workspace. */
  nextTs(): string;
  unknownChannel(channel: string | undefined): boolean;
  /** A public channel the bot was not invited to: `not_in_channel` for posting and reading its history. */
  notMember(channel: string | undefined): boolean;
  /** `invalid_thread_ts` when `threadTs` is not a top-level message of `channel`. */
  threadProblem(channel: string, threadTs: string | undefined): Answer | undefined;
  /** A message as the Web API shows it (conversations.history and .replies use it too). */
  botMessage(message: FakeMessage): Record<string, unknown>;
}

/**
 * Message metadata (https://docs.slack.dev/messaging/message-metadata): a JSON object with a string
 * `event_type` and an object `event_payload`; anything else is `invalid_metadata_format`.
 */
function readMetadata(params: Params): { value?: FakeMessage['metadata']; problem?: Answer } {
  const parsed = structured(params, 'metadata');
  if (parsed.value === undefined && !parsed.malformed) return {};
  const value = parsed.value;
  if (parsed.malformed || !isRecord(value) || typeof value.event_type !== 'string' || !/^[\w.-]{1,255}$/.test(value.event_type) || !isRecord(value.event_payload)) {
    return { problem: fail('invalid_metadata_format') };
  }
  return { value: { event_type: value.event_type, event_payload: value.event_payload } };
}

/** chat.postMessage: "Provide no more than 40,000 characters". */
const TEXT_MAX = 40_000;

export function mountChat(rooms: SlackRooms, options: ChannelOptions): Channels {
  const messages: FakeMessage[] = [];
  const ephemerals: FakeEphemeral[] = [];
  let lastTs = 0;

  const nextTs = () => {
    lastTs = Math.max(Date.now() * 1000, lastTs + 1);
    return `${Math.floor(lastTs / 1e6)}.${String(lastTs % 1e6).padStart(6, '0')}`;
  };
  const notMember = (channel: string | undefined) => channel !== undefined && (options.notMemberOf ?? []).includes(channel);
  const unknownChannel = (channel: string | undefined) => !channel || (options.channels !== undefined && !options.channels.includes(channel));
  /** A thread parent must be a top-level message of that channel; a reply's ts is refused as Slack does. */
  const threadProblem = (channel: string, threadTs: string | undefined) =>
    threadTs !== undefined && !options.acceptUnknownThreadParents && !messages.some((m) => m.channel === channel && m.ts === threadTs && m.threadTs === undefined) ? fail('invalid_thread_ts') : undefined;
  const botMessage = (m: FakeMessage) => ({ type: 'message', subtype: 'bot_message', text: m.text, user: BOT.user_id, bot_id: BOT.bot_id, app_id: BOT.app_id, team: BOT.team_id, ts: m.ts, ...(m.blocks ? { blocks: m.blocks } : {}), ...(m.threadTs ? { thread_ts: m.threadTs } : {}), ...(m.metadata ? { metadata: m.metadata } : {}) });

  rooms.api('chat.postMessage', (params) => {
    const channel = str(params, 'channel');
    if (unknownChannel(channel) || !channel) return fail('channel_not_found');
    if (notMember(channel)) return fail('not_in_channel');
    const text = str(params, 'text') ?? '';
    const read = readBlocks(params);
    if (read.problem) return read.problem;
    if (!text && !read.blocks?.length) return fail('no_text');
    if (text.length > TEXT_MAX) return fail('msg_too_long');
    const threadTs = str(params, 'thread_ts');
    const problem = threadProblem(channel, threadTs);
    if (problem) return problem;
    const metadata = readMetadata(params);
    if (metadata.problem) return metadata.problem;
    const message: FakeMessage = { channel, ts: nextTs(), text, ...(threadTs ? { threadTs } : {}), ...(read.blocks ? { blocks: read.blocks } : {}), ...(metadata.value ? { metadata: metadata.value } : {}) };
    messages.push(message);
    return ok({ channel, ts: message.ts, message: botMessage(message) });
  });

  rooms.api('chat.update', (params) => {
    const channel = str(params, 'channel');
    if (unknownChannel(channel)) return fail('channel_not_found');
    const message = messages.find((m) => m.channel === channel && m.ts === str(params, 'ts'));
    if (!message) return fail('message_not_found');
    const read = readBlocks(params);
    if (read.problem) return read.problem;
    const text = str(params, 'text') ?? message.text;
    // Without `blocks` the old ones stay; an empty array removes them.
    const blocks = read.present ? (read.blocks?.length ? read.blocks : undefined) : message.blocks;
    if (!text && !blocks) return fail('no_text');
    if (text.length > TEXT_MAX) return fail('msg_too_long');
    const metadata = readMetadata(params);
    if (metadata.problem) return metadata.problem;
    message.text = text;
    if (metadata.value) message.metadata = metadata.value;
    if (blocks) message.blocks = blocks;
    else delete message.blocks;
    message.updatedAt = new Date().toISOString();
    return ok({ channel: message.channel, ts: message.ts, text, message: { ...botMessage(message), edited: { user: BOT.user_id, ts: nextTs() } } });
  });

  rooms.api('chat.postEphemeral', (params) => {
    const channel = str(params, 'channel');
    if (unknownChannel(channel) || !channel) return fail('channel_not_found');
    const user = str(params, 'user');
    if (!user) return fail('user_not_found');
    const text = str(params, 'text') ?? '';
    const read = readBlocks(params);
    if (read.problem) return read.problem;
    if (!text && !read.blocks?.length) return fail('no_text');
    // Slack accepts any thread_ts here: an ephemeral reply only shows in a thread that is already open.
    const threadTs = str(params, 'thread_ts');
    const messageTs = nextTs();
    ephemerals.push({ channel, user, text, messageTs, ...(threadTs ? { threadTs } : {}), ...(read.blocks ? { blocks: read.blocks } : {}) });
    return ok({ message_ts: messageTs });
  });

  return { messages, ephemerals, nextTs, unknownChannel, notMember, threadProblem, botMessage };
}
