import * as z from '../../core/validation';
import { onFirstUse } from '../../core/validation/on-first-use';
import { MalformedRequest } from '../../core/http';

/**
 * Built on first use (as config.yaml's are, configSchemas()): this module is in the Slack ingress, whose cold
 * start is the figure a click waits for, and a click needs none of them (bench/README.md).
 */
function buildSchemas() {
  /** The `app_mention` event as Slack sends it inside an `event_callback` (https://api.slack.com/events/app_mention). */
  const appMentionSchema = z.looseObject({
    type: z.literal('app_mention'),
    user: z.optional(z.string()),
    /** Set when a bot (Fluxline itself included) wrote the message: a bot is never obeyed. */
    bot_id: z.optional(z.string()),
    text: z._default(z.string(), ''),
    ts: z.string().check(z.minLength(1)),
    channel: z.string().check(z.minLength(1)),
    thread_ts: z.optional(z.string()),
  });

  const envelopeSchema = z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('url_verification'), challenge: z.string().check(z.minLength(1), z.maxLength(500)) }),
    z.looseObject({
      type: z.literal('event_callback'),
      event_id: z.string().check(z.minLength(1), z.maxLength(200)),
      /** Who the app acts as in this workspace: the bot user whose `<@…>` starts the text. */
      authorizations: z.optional(z.array(z.looseObject({ user_id: z.optional(z.string()) }))),
      event: z.looseObject({ type: z.string() }),
    }),
  ]);

  /** A mention as the ingress queued it (`SlackMention` as JSON), read by the consumer. */
  const mentionSchema = z.object({
    eventId: z.string().check(z.minLength(1)),
    user: z.string().check(z.minLength(1)),
    channel: z.string().check(z.minLength(1)),
    ts: z.string().check(z.minLength(1)),
    threadTs: z.optional(z.string()),
    text: z.string(),
    botUserId: z.optional(z.string()),
  });

  return { appMentionSchema, envelopeSchema, mentionSchema };
}

const schemas = onFirstUse(buildSchemas);

/** What the consumer needs of a mention, and all the Slack requests queue carries of it. */
export interface SlackMention {
  eventId: string;
  user: string;
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  botUserId?: string;
}

export type SlackEvent =
  | { kind: 'url_verification'; challenge: string }
  | { kind: 'mention'; mention: SlackMention }
  /** Anything Fluxline does not act on: an event type it did not subscribe to, or a bot's own message. */
  | { kind: 'ignored'; reason: string };

/** Reads an Events API request body (JSON). Pure: the ingress decides from it without calling anything. */
export function parseSlackEvent(body: string): SlackEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedRequest('not a Slack event: body is not JSON');
  }
  const { envelopeSchema, appMentionSchema } = schemas();
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) throw new MalformedRequest(`not a Slack event: ${z.firstIssue(envelope.error)}`);
  const outer = envelope.data;
  if (outer.type === 'url_verification') return { kind: 'url_verification', challenge: outer.challenge };
  if (outer.event.type !== 'app_mention') return { kind: 'ignored', reason: `event type ${outer.event.type} is not handled` };
  const event = appMentionSchema.safeParse(outer.event);
  if (!event.success) throw new MalformedRequest(`not a Slack app_mention: ${z.firstIssue(event.error)}`);
  const { user, bot_id: botId, text, ts, channel, thread_ts: threadTs } = event.data;
  // A bot's message (ours echoing a command, or another bot's) could loop or act with no human behind it.
  if (botId || !user) return { kind: 'ignored', reason: 'written by a bot' };
  const botUserId = outer.authorizations?.find((a) => a.user_id)?.user_id;
  return { kind: 'mention', mention: { eventId: outer.event_id, user, channel, ts, text, ...(threadTs ? { threadTs } : {}), ...(botUserId ? { botUserId } : {}) } };
}

/** The mention the ingress queued (`SlackMention` as JSON). */
export function parseQueuedMention(body: string): SlackMention {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedRequest('not a queued Slack mention: body is not JSON');
  }
  const result = schemas().mentionSchema.safeParse(json);
  if (!result.success) throw new MalformedRequest(`not a queued Slack mention: ${z.firstIssue(result.error)}`);
  const { threadTs, botUserId, ...rest } = result.data;
  return { ...rest, ...(threadTs ? { threadTs } : {}), ...(botUserId ? { botUserId } : {}) };
}

/**
 * The command a mention asks for, as `/flux` would get it: the leading `<@BOT>` removed, Slack's link
 * markup unwrapped (`<https://…|label>` → the URL, which `--github-ref` needs) and its three HTML
 * entities decoded (Slack escapes &, < and > in message text).
 */
export function commandTextOf(text: string, botUserId?: string): string {
  const leading = botUserId ? new RegExp(`^\\s*<@${botUserId.replace(/[^A-Z0-9]/gi, '')}(?:\\|[^>]*)?>`) : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/i;
  let rest = text.replace(leading, '');
  // "hey <@BOT> list": the command follows the bot's mention wherever it is.
  if (rest === text && botUserId) {
    const at = text.indexOf(`<@${botUserId}`);
    if (at >= 0) rest = text.slice(text.indexOf('>', at) + 1);
  }
  return rest
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}
