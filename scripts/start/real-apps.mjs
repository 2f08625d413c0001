import { tsImport } from 'tsx/esm/api';
import { log, warn } from './common.mjs';

/**
 * The real Slack workspace and GitHub App, reaching this run with no public URL, once the server answers:
 * SLACK_APP_TOKEN (xapp-…) connects over Socket Mode, WEBHOOK_PROXY_URL listens on a smee.io channel.
 * Both post to the local routes, whose handlers verify each request as in a deployment (scripts/connect/).
 * A failure to connect is said and leaves the rest of the run up.
 */
export async function connectRealApps({ env, port, track, slackApiUrl }) {
  const target = `http://localhost:${port}`;
  if (env.SLACK_APP_TOKEN) {
    if (env.SLACK_BOT_TOKEN?.startsWith('xoxb-local-')) warn('SLACK_APP_TOKEN is set without SLACK_BOT_TOKEN: commands come from your workspace, but the answers go to the local stand-in and print here. Set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET) of the same app.');
    try {
      const { startSlackSocketMode } = await tsImport('../connect/slack-socket-mode.ts', import.meta.url);
      const relay = await startSlackSocketMode({ appToken: env.SLACK_APP_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, target, slackApiUrl: slackApiUrl || undefined, log });
      await track(() => relay.stop());
      log('Socket Mode: connected to Slack (SLACK_APP_TOKEN): commands, clicks and mentions of your workspace reach this run');
    } catch (err) {
      warn(err.message);
    }
  }
  if (env.WEBHOOK_PROXY_URL) {
    try {
      const { startWebhookProxy } = await tsImport('../connect/github-webhook-proxy.ts', import.meta.url);
      const proxy = await startWebhookProxy({ source: env.WEBHOOK_PROXY_URL, target, log });
      await track(() => proxy.stop());
    } catch (err) {
      warn(err.message);
    }
  }
}
