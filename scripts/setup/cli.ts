import type { SetupIo } from './io';
import { setupSlack } from './slack-command';
import { setupGithub } from './github-command';

const USAGE = `Usage:
  npm run setup -- slack (--url https://<api> | --socket-mode) [--name Fluxline] [--out slack-app-manifest.yaml]
  npm run setup -- github (--url https://<api> [--stage S] | --webhook-proxy-url https://smee.io/<channel>) [--org ORG] [--env-file .env]`;

/** `npm run setup -- <what>`: one subcommand per vendor console. */
export async function runSetup(args: string[], io: SetupIo): Promise<number> {
  const [what, ...rest] = args;
  try {
    switch (what) {
      case 'slack':
        return await setupSlack(rest, io);
      case 'github':
        return await setupGithub(rest, io);
      default:
        io.err(`${what ? `Unknown setup step ${JSON.stringify(what)}.\n` : ''}${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    io.err(`${(err as Error).message}\n`);
    return 1;
  }
}
