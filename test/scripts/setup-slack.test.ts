import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runSetup } from '../../scripts/setup/cli';
import { SLACK_BOT_EVENTS, SLACK_METHOD_SCOPES, slackBotScopes, slackManifest } from '../../scripts/setup/slack-manifest';

const ROOT = resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.mts') ? [path] : [];
  });
}

/** Every Slack Web API method the shipped code calls, read from the source as a reviewer would grep it. */
function slackMethodsCalled(): Map<string, string> {
  const found = new Map<string, string>();
  const files = ['lib', 'functions', 'scripts'].flatMap((dir) => sourceFiles(join(ROOT, dir))).filter((f) => !f.includes(join('scripts', 'setup', 'slack-manifest')));
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    // WebClient's typed methods (client.chat.postMessage(…), slack.auth.test(…)) and its untyped apiCall('x.y').
    for (const match of source.matchAll(/\b(?:client|web|webClient)\.(auth|chat|conversations|files|users|reactions|views|team|bots|apps)\.(\w+)\s*\(/g)) found.set(`${match[1]}.${match[2]}`, file);
    for (const match of source.matchAll(/\.apiCall\(\s*'([\w.]+)'/g)) found.set(match[1] ?? '', file);
    // filesUploadV2 is a helper: these are the methods it calls.
    if (/\.filesUploadV2\s*\(/.test(source)) for (const method of ['files.getUploadURLExternal', 'files.completeUploadExternal']) found.set(method, file);
  }
  return found;
}

const example = () => slackManifest({ url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/' });

describe('the Slack app manifest', () => {
  it('finds the Slack calls it is checking (the scan itself works)', () => {
    expect([...slackMethodsCalled().keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'chat.update', 'files.completeUploadExternal', 'conversations.replies']));
  });

  it('has a scope entry for every Slack Web API method the code calls', () => {
    const missing = [...slackMethodsCalled()].filter(([method]) => !(method in SLACK_METHOD_SCOPES)).map(([method, file]) => `${method} (${file})`);
    expect(missing, 'add these methods and their "Required scopes" to SLACK_METHOD_SCOPES').toEqual([]);
  });

  it('lists no method the code no longer calls, so it asks for no scope Fluxline does not use', () => {
    const called = slackMethodsCalled();
    expect(Object.keys(SLACK_METHOD_SCOPES).filter((method) => !called.has(method))).toEqual([]);
  });

  it('asks for exactly the scopes of those methods, the slash command and the mention event', () => {
    const fromMethods = new Set(Object.values(SLACK_METHOD_SCOPES).flat());
    const bot = (example().oauth_config as { scopes: { bot: string[] } }).scopes.bot;

    expect(bot).toEqual(slackBotScopes());
    expect(bot.filter((scope) => !fromMethods.has(scope))).toEqual(['app_mentions:read', 'commands']);
    expect(bot).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:write', 'groups:history']);
  });

  it('points the slash command, interactivity and the event subscription at the deployment', () => {
    expect(example()).toMatchObject({
      features: { slash_commands: [{ command: '/flux', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/slack/commands' }] },
      settings: {
        interactivity: { is_enabled: true, request_url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/slack/interactions' },
        event_subscriptions: { request_url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/slack/events', bot_events: ['app_mention'] },
      },
    });
    expect(SLACK_BOT_EVENTS).toEqual(['app_mention']);
  });

  it('asks for Socket Mode and no Request URL with --socket-mode, with the same command, scopes and event', () => {
    const manifest = slackManifest({ socketMode: true });

    expect(manifest).toMatchObject({
      features: { slash_commands: [{ command: '/flux' }] },
      oauth_config: { scopes: { bot: slackBotScopes() } },
      settings: { socket_mode_enabled: true, interactivity: { is_enabled: true }, event_subscriptions: { bot_events: ['app_mention'] } },
    });
    expect(JSON.stringify(manifest)).not.toMatch(/"(url|request_url)"/);
  });

  it.each([
    ['http://abc.example.com', /must be https/],
    ['abc.example.com', /is not a URL/],
    ['https://abc.example.com/?x=1', /without a query/],
  ])('refuses --url %s and says why', (url, reason) => {
    expect(() => slackManifest({ url })).toThrow(reason);
  });
});

describe('npm run setup -- slack', () => {
  const io = () => {
    const printed = { out: '', err: '' };
    const cwd = mkdtempSync(join(tmpdir(), 'fluxline-setup-slack-'));
    return { printed, cwd, io: { env: {}, cwd, out: (t: string) => (printed.out += t), err: (t: string) => (printed.err += t) } };
  };

  it('prints the manifest and writes the same to slack-app-manifest.yaml', async () => {
    // Prepare
    const { printed, cwd, io: setupIo } = io();

    // Act
    const code = await runSetup(['slack', '--url', 'https://fluxline.acme.dev'], setupIo);

    // Assess
    expect(code).toBe(0);
    const written = readFileSync(join(cwd, 'slack-app-manifest.yaml'), 'utf8');
    expect(printed.out.startsWith(written)).toBe(true);
    expect(parse(written)).toEqual(slackManifest({ url: 'https://fluxline.acme.dev' }));
    expect(printed.out).toMatch(/From an app manifest/);
  });

  it.each([
    [['slack'], /--url is required.*--socket-mode/, 2],
    [['slack', '--url', 'http://x.example.com'], /must be https/, 1],
    [['slak'], /Unknown setup step "slak"/, 2],
  ])('fails on %j with a reason and no file', async (args, reason, exit) => {
    const { printed, cwd, io: setupIo } = io();

    expect(await runSetup(args, setupIo)).toBe(exit);
    expect(printed.err).toMatch(reason);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
