import { randomBytes } from 'node:crypto';
import { tsImport } from 'tsx/esm/api';

/**
 * The Slack Web API stand-in (test/fakes/slack/index.ts) for when no SLACK_BOT_TOKEN is set: the functions get a
 * made-up token and SLACK_API_URL pointing here, so the real WebClient path runs (retries included), and
 * every call the stand-in serves is printed as the console printer would (scripts/lib/slack-calls.ts).
 * It can be made to fail for a while (`npm run outage -- slack 30`), through its /__fake/faults route.
 */
export async function startSlackStandIn(env) {
  const fakes = await tsImport('../../test/fakes/slack/index.ts', import.meta.url);
  const { describeSlackCall } = await tsImport('../lib/slack-calls.ts', import.meta.url);
  const token = `xoxb-local-${randomBytes(12).toString('hex')}`;
  let slack;
  slack = await fakes.startFakeSlack({
    token,
    // The sample clicks (events/*.json) name a notice posted by another run of npm start.
    acceptUnknownThreadParents: true,
    onCall(call) {
      const text = describeSlackCall(call, (id) => slack?.files.find((f) => f.id === id)?.content);
      // Best effort, as the console printer: a closed terminal must not fail a local run.
      if (text) process.stdout.write(text, () => undefined);
    },
  });
  env.SLACK_BOT_TOKEN = token;
  env.SLACK_API_URL = slack.url;
  return {
    name: 'Slack',
    note: `local stand-in at ${slack.url}: the real Web API client posts to it, messages print here\n(set SLACK_BOT_TOKEN to use your Slack app; \`npm run outage -- slack 30\` makes it fail for 30 s)`,
    faultsUrl: new URL('/__fake/faults', slack.url).toString(),
    stop: () => slack.stop(),
  };
}
