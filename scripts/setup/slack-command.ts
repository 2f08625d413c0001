import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { slackManifest } from './slack-manifest';
import type { SetupIo } from './io';

const USAGE = 'Usage: npm run setup -- slack (--url https://<api> | --socket-mode) [--name Fluxline] [--out slack-app-manifest.yaml]';

/** `npm run setup -- slack`: prints the Slack app manifest of a deployment and writes it to a file. */
export async function setupSlack(args: string[], io: SetupIo): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, 'socket-mode': { type: 'boolean' }, name: { type: 'string' }, out: { type: 'string' } }, strict: true });
  const socketMode = values['socket-mode'] === true;
  if (!values.url && !socketMode) {
    io.err(`--url is required: the deployment's BaseUrl (npm run urls); or --socket-mode for an app that npm start reaches with no public URL.\n${USAGE}\n`);
    return 2;
  }
  if (values.url && socketMode) {
    io.err(`Pass --url (a deployment) or --socket-mode (npm start), not both.\n${USAGE}\n`);
    return 2;
  }
  const manifest = stringify(slackManifest({ ...(values.url ? { url: values.url } : { socketMode }), ...(values.name ? { name: values.name } : {}) }));
  const out = resolve(io.cwd, values.out ?? 'slack-app-manifest.yaml');
  await writeFile(out, manifest);
  io.out(manifest);
  io.out(
    [
      `Written to ${out}.`,
      'Next: api.slack.com/apps → Create New App → From an app manifest → pick the workspace → paste it.',
      'Then Install to Workspace, and store Basic Information → Signing Secret and OAuth & Permissions → Bot User OAuth Token',
      socketMode
        ? '(xoxb-…) in .env as SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN, and Basic Information → App-Level Tokens → Generate\n(scope connections:write) as SLACK_APP_TOKEN (xapp-…). Invite the bot to the notice channel; then npm start.'
        : '(xoxb-…) as SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (README "Deploying", step 5). Invite the bot to the notice channel.',
      '',
    ].join('\n'),
  );
  return 0;
}
