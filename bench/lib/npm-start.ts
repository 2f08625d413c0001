// `npm start` (scripts/start.mjs: DynamoDB Local, serverless offline, in-process queues) in a child
// process, pointed at the bench's fake GitHub and fake Slack.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { freePort } from '../../scripts/dynamodb-local.mjs';
import { APP_ID, SECRETS, log } from './settings';
import { root, type World } from './world';

export interface NpmStart {
  port: number;
  readySeconds: number;
  /** The last 200,000 characters of its output (stdout and stderr). */
  output(): string;
  /** Output lines matching `pattern` so far, counted as they stream (not limited to the kept tail). */
  linesMatching(pattern: RegExp): number;
  stop(): Promise<void>;
}

export async function startNpmStart(world: World, { table, logLevel, count = [] }: { table: string; logLevel: string | undefined; count?: RegExp[] }): Promise<NpmStart> {
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: logLevel,
    PORT: String(port),
    GITHUB_APP_ID: APP_ID,
    GITHUB_PRIVATE_KEY: world.keys.privateKey,
    GITHUB_API_URL: world.github.url,
    GITHUB_WEBHOOK_SECRET: SECRETS.webhook,
    SLACK_BOT_TOKEN: SECRETS.slackToken,
    SLACK_API_URL: world.slack.url,
    SLACK_SIGNING_SECRET: SECRETS.signing,
    FLUXLINE_CONFIG: world.config,
    TABLE_NAME: table,
  };
  log(`starting npm start on port ${port}`);
  const startedAt = performance.now();
  const server = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let partial = '';
  const counts = new Map<RegExp, number>(count.map((p) => [p, 0]));
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output = (output + text).slice(-200_000);
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const [p, n] of counts) if (p.test(line)) counts.set(p, n + 1);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill('SIGINT');
    const timer = setTimeout(() => server.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start was not ready within 180 s:\n${output.slice(-4000)}`)), 180_000);
      const check = () => {
        if (/Fluxline is running on/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      server.stdout.on('data', check);
      server.stderr.on('data', check);
      void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${output.slice(-4000)}`)));
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    readySeconds: (performance.now() - startedAt) / 1000,
    output: () => output,
    linesMatching: (pattern) => counts.get(pattern) ?? 0,
    stop,
  };
}
