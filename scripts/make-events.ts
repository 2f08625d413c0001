/**
 * Writes events/*.json: API Gateway HTTP API (payload 2.0) events as Lambda receives them, built from
 * GitHub's own example payloads (@octokit/webhooks-examples) re-homed to acme/fleet, and from Slack's
 * documented request shapes. They are signed with the local default secrets, so they verify as they are
 * with `serverless invoke local`; `npm run send` re-signs them (fresh delivery id, fresh Slack timestamp).
 *
 *   npx tsx scripts/make-events.ts           # rewrite events/*.json
 *   npx tsx scripts/make-events.ts --check   # exit 1 when they differ from what this script makes
 *
 * Everything is deterministic (fixed delivery ids and times), so the files only change when this does.
 * One file per sender under make-events/: github.ts, slack.ts, flux.ts, on api-gateway.ts and story.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fluxEvents } from './make-events/flux';
import { githubEvents } from './make-events/github';
import { slackEvents } from './make-events/slack';

export const EVENTS_DIR = join(fileURLToPath(new URL('..', import.meta.url)), 'events');

/** Every sample, by file name under events/. */
export function buildSampleEvents(): Record<string, APIGatewayProxyEventV2> {
  return { ...githubEvents(), ...slackEvents(), ...fluxEvents() };
}

export function renderEvent(event: APIGatewayProxyEventV2): string {
  return `${JSON.stringify(event, null, 2)}\n`;
}

function main(args: string[]): number {
  const check = args.includes('--check');
  const stale: string[] = [];
  for (const [file, event] of Object.entries(buildSampleEvents())) {
    const path = join(EVENTS_DIR, file);
    const text = renderEvent(event);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // a missing file is simply stale
    }
    if (current === text) continue;
    stale.push(file);
    if (!check) writeFileSync(path, text);
  }
  if (check && stale.length) {
    console.error(`events/ is out of date (${stale.join(', ')}): run npx tsx scripts/make-events.ts`);
    return 1;
  }
  console.log(stale.length ? `${check ? 'stale' : 'wrote'}: ${stale.join(', ')}` : 'events/ is up to date');
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
