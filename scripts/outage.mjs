// npm run outage -- slack|github <seconds> [status]
//
// Makes a stand-in of the running `npm start` fail for a while, to watch Fluxline survive it: the Slack
// stand-in answers 503 (as Slack's edge does in an outage; 429 = rate limited, with Retry-After), the
// GitHub stand-in 503 (or 500/502; 403 or 429 = secondary rate limit). Which npm start: the one on
// PORT, else the only one running (each writes .cache/start/<port>.json). `npm run outage -- stop`
// ends every fault at once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standInsDir } from './start/stand-ins-file.mjs';

const USAGE = 'usage: npm run outage -- slack|github <seconds> [status]   (or: npm run outage -- stop)';

function fail(message) {
  console.error(`[outage] ${message}`);
  process.exit(1);
}

/** The stand-ins file of the npm start to talk to. */
function running() {
  const files = existsSync(standInsDir) ? readdirSync(standInsDir).filter((f) => /^\d+\.json$/.test(f)) : [];
  const wanted = process.env.PORT ? `${process.env.PORT}.json` : undefined;
  const pick = wanted ? files.find((f) => f === wanted) : files.length === 1 ? files[0] : undefined;
  if (!pick) {
    if (files.length > 1 && !wanted) fail(`several npm start are running (ports ${files.map((f) => f.replace('.json', '')).join(', ')}): say which with PORT=<port> npm run outage -- …`);
    fail(`no npm start with stand-ins is running${wanted ? ` on port ${process.env.PORT}` : ''}: start one with \`npm start\` (with no SLACK_BOT_TOKEN for the Slack stand-in, no GITHUB_APP_ID for the GitHub one)`);
  }
  return JSON.parse(readFileSync(join(standInsDir, pick), 'utf8'));
}

async function send(faultsUrl, method, body) {
  let response;
  try {
    response = await fetch(faultsUrl, { method, ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });
  } catch (err) {
    fail(`could not reach the stand-in at ${faultsUrl} (${err.cause?.message ?? err.message}): is npm start still running?`);
  }
  const text = await response.text();
  if (!response.ok) fail(`the stand-in refused: HTTP ${response.status} ${text}`);
}

const [target, secondsArg, statusArg] = process.argv.slice(2);
const { port, standIns } = running();

if (target === 'stop') {
  for (const { faultsUrl } of Object.values(standIns)) await send(faultsUrl, 'DELETE');
  console.log(`[outage] npm start on port ${port}: every fault ended`);
  process.exit(0);
}
if (target !== 'slack' && target !== 'github') fail(USAGE);
const standIn = standIns[target];
if (!standIn) fail(`npm start on port ${port} has no ${target} stand-in (it uses the real ${target === 'slack' ? 'Slack: SLACK_BOT_TOKEN' : 'GitHub App: GITHUB_APP_ID'} is set)`);
const seconds = Number(secondsArg);
if (!Number.isFinite(seconds) || seconds <= 0) fail(USAGE);
const status = statusArg === undefined ? 503 : Number(statusArg);
if (!Number.isInteger(status) || status < 400 || status > 599) fail(`status must be an HTTP error status (400-599), got ${statusArg}`);

await send(standIn.faultsUrl, 'POST', { failFor: { status, ms: seconds * 1000, retryAfterSeconds: status === 429 || status === 403 ? Math.min(5, seconds) : undefined } });
console.log(`[outage] the ${target} stand-in of npm start (port ${port}) answers ${status} for ${seconds} s, until ${new Date(Date.now() + seconds * 1000).toLocaleTimeString()}`);
if (target === 'slack') console.log('[outage] now send a PR (npm run send -- events/pull-request-opened.json) and watch its notice arrive once Slack is back');
