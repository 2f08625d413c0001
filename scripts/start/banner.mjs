// What npm start prints once serverless offline is ready: the routes and what runs where.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './common.mjs';

/** The routes serverless-offline prints, without its Lambda-invoke ones. */
export function routesFrom(output) {
  const routes = [];
  for (const match of output.matchAll(/\b(GET|POST|PUT|PATCH|DELETE|ANY)\s*\|\s*(http:\/\/\S+)/g)) {
    if (!match[2].includes('/2015-03-31/functions/')) routes.push(`${match[1].padEnd(4)} ${match[2]}`);
  }
  return routes;
}

export function printBanner({ routes, env, port, dynamoDbEndpoint, standIns, flux, defaultedSecrets }) {
  const config =
    standIns.find((s) => s.config)?.config ??
    (env.FLUXLINE_CONFIG
      ? `${env.FLUXLINE_CONFIG} (FLUXLINE_CONFIG)`
      : existsSync(join(root, 'config.yaml'))
        ? 'config.yaml'
        : 'config.example.yaml (no config.yaml yet: copy it to make it yours)');
  const row = (label, text) => text.split('\n').map((line, i) => `${(i === 0 ? label : '').padEnd(10)} ${line}`);
  const lines = [
    `Fluxline is running on http://localhost:${port}`,
    ...(routes.length ? routes : ['POST /github/webhook', 'POST /slack/commands', 'POST /slack/interactions', 'POST /slack/events', 'GET  /health']).map((r) => `  ${r}`),
    ...row('Config', config),
    ...row('DynamoDB', `${dynamoDbEndpoint} (DynamoDB Local in memory, table ${env.TABLE_NAME}: gone when you stop)`),
    ...row('Queues', 'in this process (no *_QUEUE_URL): the work runs here after each answer'),
    ...standIns.flatMap((s) => row(s.name, s.note)),
    ...(standIns.some((s) => s.name === 'Slack') ? [] : row('Slack', `the real Web API${env.SLACK_API_URL ? ` at ${env.SLACK_API_URL}` : ''} (SLACK_BOT_TOKEN is set)`)),
    ...row('flux', flux.note),
    ...(defaultedSecrets.length ? row('Secrets', `LOCAL-ONLY defaults for ${defaultedSecrets.join(', ')}\n(known to anyone who reads this repository: never use them for a real app)`) : []),
    ...row('Try', 'npm run send -- events/pull-request-opened.json     (in another terminal: a PR notice)\nnpm run send -- events/slack-flux-diff-click.json   (then: its Flux diff button clicked)'),
    ...(standIns.some((s) => s.faultsUrl) ? row('Outage', 'npm run outage -- slack 30        (the Slack stand-in fails for 30 s: watch a notice arrive after)\nnpm run outage -- github 30 503   (the GitHub stand-in answers 503 for 30 s)') : []),
    ...row('Stop', 'Ctrl-C'),
  ];
  const width = Math.min(100, Math.max(...lines.map((l) => l.length)) + 2);
  console.log(`\n${'─'.repeat(width)}\n${lines.map((l) => ` ${l}`).join('\n')}\n${'─'.repeat(width)}\n`);
}

