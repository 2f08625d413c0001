import { createHmac, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent } from './api-gateway';

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; now by default. */
  timestamp?: number;
  /** Overrides the computed signature; null leaves the header out. */
  signature?: string | null;
  retryNum?: number;
  base64?: boolean;
}

/** An API Gateway v2 event carrying a Slack request signed with the v0 scheme, as Slack sends it. */
export function signedSlackEvent(path: '/slack/commands' | '/slack/interactions' | '/slack/events', body: string, options: SignOptions): APIGatewayProxyEventV2 {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const computed = `v0=${createHmac('sha256', options.secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const signature = options.signature === undefined ? computed : options.signature;
  const headers: Record<string, string> = {
    // The Events API posts JSON; commands and interactions are forms.
    'content-type': path === '/slack/events' ? 'application/json' : 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': timestamp,
  };
  if (signature !== null) headers['x-slack-signature'] = signature;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return apiGatewayEvent(path, body, headers, { sourceIp: '3.5.140.2', ...(options.base64 ? { base64: true } : {}) });
}

export interface SlashCommandOptions {
  user?: string;
  userName?: string;
  channel?: string;
  triggerId?: string;
  /** Where the consumer answers; Slack's own hooks URL by default (the fake Slack's `responseUrl(id)` in worlds). */
  responseUrl?: string;
}

/** The form body of a `/flux` slash command, with the fields Slack sends. */
export function slashCommandBody(text: string, options: SlashCommandOptions = {}): string {
  return new URLSearchParams({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0ACME',
    team_domain: 'acme',
    channel_id: options.channel ?? 'C0FLUX',
    channel_name: 'flux',
    user_id: options.user ?? 'U0ADMIN',
    user_name: options.userName ?? 'alice',
    command: '/flux',
    text,
    api_app_id: 'A0FLUXLINE',
    is_enterprise_install: 'false',
    response_url: options.responseUrl ?? 'https://hooks.slack.com/commands/T0ACME/1234/abcd',
    trigger_id: options.triggerId ?? `${Date.now()}.${Math.floor(Math.random() * 1e6)}.${randomUUID().slice(0, 8)}`,
  }).toString();
}

export interface ButtonClick {
  actionId: string;
  value?: string;
  user?: string;
  userName?: string;
  channel?: string;
  /** The message the button is on. */
  messageTs: string;
  /** Set when that message is itself a reply in a thread. */
  threadTs?: string;
  actionTs?: string;
  /** A choice in a select menu (static_select) instead of a button click: the chosen option's value. */
  selectedValue?: string;
}

/** A `block_actions` interaction as Slack posts it: a form with one `payload` field holding JSON. */
export function blockActionsBody(click: ButtonClick): string {
  const channel = click.channel ?? 'C0FLUX';
  const payload = {
    type: 'block_actions',
    user: { id: click.user ?? 'U0ADMIN', username: click.userName ?? 'alice', name: click.userName ?? 'alice', team_id: 'T0ACME' },
    api_app_id: 'A0FLUXLINE',
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: click.messageTs, channel_id: channel, is_ephemeral: false, ...(click.threadTs ? { thread_ts: click.threadTs } : {}) },
    trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
    team: { id: 'T0ACME', domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'flux' },
    message: { type: 'message', user: 'U0BOT', ts: click.messageTs, ...(click.threadTs ? { thread_ts: click.threadTs } : {}), text: 'notice', blocks: [] },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0ACME/1234/abcd',
    actions: [
      {
        action_id: click.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        ...(click.value !== undefined ? { value: click.value } : {}),
        ...(click.selectedValue !== undefined ? { selected_option: { text: { type: 'plain_text', text: 'option' }, value: click.selectedValue } } : {}),
        type: click.selectedValue !== undefined ? 'static_select' : 'button',
        action_ts: click.actionTs ?? `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface MentionOptions {
  user?: string;
  channel?: string;
  /** The mention's own ts. */
  ts?: string;
  /** Set when the mention is a reply in a thread: the thread's parent ts. */
  threadTs?: string;
  eventId?: string;
  /** Set when a bot wrote the message (Slack adds bot_id). */
  botId?: string;
}

/** The bot user the app acts as (`authorizations[0].user_id`), whose `<@…>` starts a mention's text. */
export const BOT_USER = 'U0FLUXBOT';

/** An `event_callback` carrying an `app_mention`, as the Events API posts it (api.slack.com/events/app_mention). */
export function appMentionBody(text: string, options: MentionOptions = {}): string {
  const ts = options.ts ?? `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return JSON.stringify({
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    team_id: 'T0ACME',
    api_app_id: 'A0FLUXLINE',
    event: {
      ...(options.botId ? { bot_id: options.botId, app_id: 'A0FLUXLINE' } : { client_msg_id: randomUUID() }),
      type: 'app_mention',
      text,
      user: options.user ?? 'U0ADMIN',
      ts,
      blocks: [{ type: 'rich_text', block_id: 'x1', elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: BOT_USER }, { type: 'text', text: ' …' }] }] }],
      team: 'T0ACME',
      ...(options.threadTs ? { thread_ts: options.threadTs, parent_user_id: 'U0ALICE' } : {}),
      channel: options.channel ?? 'C0FLUX',
      event_ts: ts,
    },
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: 'T0ACME', user_id: BOT_USER, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: '4-eyJldCI6ImFwcF9tZW50aW9uIiwidGlkIjoiVDBBQ01FIiwiYWlkIjoiQTBGTFVYTElORSIsImNpZCI6IkMwRkxVWCJ9',
  });
}
