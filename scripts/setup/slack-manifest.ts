/**
 * The Slack app manifest of a deployment (https://api.slack.com/reference/manifests), pasted into
 * api.slack.com/apps → Create New App → From an app manifest. What Fluxline asks of Slack is declared here
 * once: test/scripts/setup-slack.test.ts reads every Web API method the code calls and fails when one has
 * no entry below, or when an entry (and so a scope) is no longer used.
 */

/**
 * Each Slack Web API method Fluxline calls, and the bot scopes it needs (each method's "Required scopes"
 * on api.slack.com/methods). Private channels need the `groups:` twin of a `channels:` scope.
 */
export const SLACK_METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  // filesUploadV2 is these two calls (and a POST of the bytes to the URL the first returns).
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  // Finding a post whose answer was lost before posting it again (DESIGN §3 "Exactly once, visibly").
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  // npm run doctor: who the token is. No scope.
  'auth.test': [],
};

/** Scopes that come with a feature rather than a method call. */
const FEATURE_SCOPES = {
  slashCommand: 'commands',
  appMention: 'app_mentions:read',
} as const;

/** The bot events POST /slack/events acts on (lib/flows/interactions/slack-events.ts). */
export const SLACK_BOT_EVENTS = ['app_mention'] as const;

export function slackBotScopes(): string[] {
  return [...new Set([...Object.values(SLACK_METHOD_SCOPES).flat(), ...Object.values(FEATURE_SCOPES)])].sort();
}

export interface SlackManifestOptions {
  /** The deployment's base URL (BaseUrl of `npm run urls`, or a tunnel to `npm start`), https. */
  url?: string;
  /**
   * An app for `npm start` with SLACK_APP_TOKEN: Slack delivers over Socket Mode, so no Request URL
   * (Slack ignores them while Socket Mode is on).
   */
  socketMode?: boolean;
  /** @default 'Fluxline' */
  name?: string;
  /** @default '/flux' */
  command?: string;
}

/** Slack refuses a Request URL that is not https, and appends nothing: the routes are ours to add. */
export function baseUrlOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url ${JSON.stringify(url)} is not a URL: pass the deployment's BaseUrl (npm run urls), e.g. https://abc123.execute-api.eu-west-1.amazonaws.com`);
  }
  if (parsed.protocol !== 'https:') throw new Error(`--url must be https (Slack and GitHub refuse plain http Request URLs): ${url}`);
  if (parsed.search || parsed.hash) throw new Error(`--url must be the base URL, without a query or fragment: ${url}`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

export function slackManifest({ url, socketMode = false, name = 'Fluxline', command = '/flux' }: SlackManifestOptions): Record<string, unknown> {
  if (!socketMode && url === undefined) throw new Error('A manifest needs the deployment\'s --url, or --socket-mode for npm start');
  const base = socketMode ? undefined : baseUrlOf(url ?? '');
  const at = (path: string, key: 'url' | 'request_url') => (base ? { [key]: `${base}${path}` } : {});
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'GitOps ChatOps for Flux: PR notices, flux diff, versions, promote and rollback',
    },
    features: {
      bot_user: { display_name: name.toLowerCase().replace(/[^a-z0-9._-]/g, '-'), always_online: true },
      slash_commands: [{ command, ...at('/slack/commands', 'url'), description: 'Flux diffs, versions, promote, rollback and the Flux CLI', usage_hint: 'help', should_escape: false }],
    },
    oauth_config: { scopes: { bot: slackBotScopes() } },
    settings: {
      event_subscriptions: { ...at('/slack/events', 'request_url'), bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, ...at('/slack/interactions', 'request_url') },
      org_deploy_enabled: false,
      socket_mode_enabled: socketMode,
      token_rotation_enabled: false,
    },
  };
}
