/**
 * npm run send -- events/<file>.json [more.json …] [--delivery <id>] [--url http://localhost:3000]
 *
 * Posts sample events to the local server (`npm start`) as GitHub or Slack would: the body of the file,
 * signed now with the secrets the server uses (from the environment or .env, else the local defaults).
 * Every send is a new delivery (GitHub) or click (Slack) unless --delivery fixes the id, which is how a
 * redelivery or a Slack retry looks.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { LOCAL_SECRETS } from './lib/signing';
import { parseSampleEvent, prepareRequest, type Secrets } from './lib/sample-events';

const USAGE = 'usage: npm run send -- events/<file>.json [more.json …] [--delivery <id>] [--url http://localhost:3000]';

type Env = Record<string, string | undefined>;

/** The environment as `npm start` sees it: the shell first, then .env. */
function loadEnv(): Env {
  const fromFile = existsSync('.env') ? dotenv.parse(readFileSync('.env')) : {};
  return { ...fromFile, ...process.env };
}

function secretsFrom(env: Env): Secrets {
  return {
    GITHUB_WEBHOOK_SECRET: env.GITHUB_WEBHOOK_SECRET || LOCAL_SECRETS.GITHUB_WEBHOOK_SECRET,
    SLACK_SIGNING_SECRET: env.SLACK_SIGNING_SECRET || LOCAL_SECRETS.SLACK_SIGNING_SECRET,
    FLUX_WEBHOOK_TOKEN: env.FLUX_WEBHOOK_TOKEN || LOCAL_SECRETS.FLUX_WEBHOOK_TOKEN,
  };
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/**
 * The origin of the Slack stand-in of the npm start listening on `url` (its .cache/start/<port>.json), so
 * that the consumer's answers to response_url land there instead of at hooks.slack.com.
 */
function slackStandInOrigin(url: string): string | undefined {
  const file = join('.cache', 'start', `${new URL(url).port || '80'}.json`);
  if (!existsSync(file)) return undefined;
  try {
    const faultsUrl = (JSON.parse(readFileSync(file, 'utf8')) as { standIns?: { slack?: { faultsUrl?: string } } }).standIns?.slack?.faultsUrl;
    return faultsUrl ? new URL(faultsUrl).origin : undefined;
  } catch {
    return undefined;
  }
}

async function send(file: string, options: { url: string; delivery: string | undefined; secrets: Secrets }): Promise<boolean> {
  const event = parseSampleEvent(readFileSync(file, 'utf8'), file);
  const responseUrlOrigin = slackStandInOrigin(options.url);
  const request = prepareRequest(event, { secrets: options.secrets, ...(options.delivery ? { delivery: options.delivery } : {}), ...(responseUrlOrigin ? { responseUrlOrigin } : {}) });
  const target = new URL(request.path, options.url);
  console.log(`→ ${request.method} ${target.href}  (${request.summary})`);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(target, { method: request.method, headers: request.headers, body: request.method === 'GET' ? null : request.body });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') {
      console.error(`Nothing is listening at ${options.url}: start Fluxline with \`npm start\` in another terminal, or pass --url.`);
    } else {
      console.error(`Could not reach ${target.href}: ${(err as Error).message}${cause?.message ? ` (${cause.message})` : ''}`);
    }
    return false;
  }
  const text = await response.text();
  console.log(`← ${response.status} ${response.statusText} in ${Math.round(performance.now() - started)} ms`);
  if (text) console.log(pretty(text));
  return response.ok;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { delivery: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const env = loadEnv();
  const url = values.url ?? `http://localhost:${env.PORT || '3000'}`;
  const secrets = secretsFrom(env);
  let ok = true;
  for (const file of positionals) {
    ok = (await send(file, { url, delivery: values.delivery, secrets })) && ok;
  }
  return ok ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // A missing or malformed file: the message says which and why; a stack trace would not help.
  console.error((err as Error).message);
  process.exitCode = 1;
}
