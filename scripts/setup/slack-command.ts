import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { slackManifest } from './slack-manifest';
import type { SetupIo } from './io';

const USAGE = 'Usage: npm run setup -- slack --url https://<api> [--name Fluxline] [--out slack-app-manifest.yaml]';

/** `npm run setup -- slack`: prints the Slack app manifest of a deployment and writes it to a file. */
export async function setupSlack(args: string[], io: SetupIo): Promise<number> {
  const { values } = parseArgs({ args, options: { url: { type: 'string' }, name: { type: 'string' }, out: { type: 'string' } }, strict: true });
  if (!values.url) {
    io.err(`--url is required: the deployment's BaseUrl (npm run urls), or an https tunnel to npm start.\n${USAGE}\n`);
    return 2;
  }
  const manifest = stringify(slackManifest({ url: values.url, ...(values.name ? { name: values.name } : {}) }));
  const out = resolve(io.cwd, values.out ?? 'slack-app-manifest.yaml');
  await writeFile(out, manifest);
  io.out(manifest);
  io.out(
    [
      `Written to ${out}.`,
      'Next: api.slack.com/apps → Create New App → From an app manifest → pick the workspace → paste it.',
      'Then Install to Workspace, and store Basic Information → Signing Secret and OAuth & Permissions → Bot User OAuth Token',
      '(xoxb-…) as SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (README "Deploying", step 5). Invite the bot to the notice channel.',
      '',
    ].join('\n'),
  );
  return 0;
}
