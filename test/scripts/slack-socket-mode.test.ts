import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackSocketMode, type SocketModeRelay } from '../../scripts/connect/slack-socket-mode';
import { appMentionBody, blockActionsBody, BOT_USER, slashCommandBody } from '../helpers/slack-requests';
import { startLocalServer, type LocalServer } from '../helpers/local-server';
import { diffButton, SECRETS, useWorld } from '../helpers/world';

/** The lines a relay logs, and a way to wait for one. */
function logLines() {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  return {
    lines,
    log: (line: string) => {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) waiter.resolve();
    },
    waitFor: (pattern: RegExp) => (lines.some((l) => pattern.test(l)) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ pattern, resolve }))),
  };
}

const formFields = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe('npm start with SLACK_APP_TOKEN: Socket Mode into the same handlers', () => {
  const world = useWorld();
  let server: LocalServer;
  let relay: SocketModeRelay;
  const log = logLines();

  beforeAll(async () => {
    server = await startLocalServer(world().env);
    relay = await startSlackSocketMode({ appToken: SECRETS.slackAppToken, signingSecret: SECRETS.signing, target: server.url, slackApiUrl: world().env.SLACK_API_URL ?? '', log: log.log });
    await world().slack.socketMode.connected();
  });

  afterAll(async () => {
    await relay.stop();
    await server.stop();
  });

  const jobsOf = async (number: number) => (await world().runtime()).store.listJobsOfPullRequest('acme/fleet', number);
  const acksOf = (envelopeId: string) => world().slack.socketMode.acks.filter((a) => a.envelope_id === envelopeId);

  it('opens the connection with the app-level token', () => {
    expect(world().slack.socketMode.opened).toBe(1);
  });

  it('acknowledges a slash command that config answers with that answer, as the HTTP response carries it', async () => {
    const envelopeId = world().slack.socketMode.send({ type: 'slash_commands', payload: formFields(slashCommandBody('help')) });
    const ack = await world().slack.socketMode.ackOf(envelopeId);

    expect(ack.payload).toMatchObject({ text: expect.stringContaining('/flux diff ks NAME --github-ref') });
    expect(acksOf(envelopeId)).toHaveLength(1);
  });

  it('runs a queued slash command once: acknowledged at once, answered through its response_url', async () => {
    // Prepare
    const pr = await world().openPullRequest('no-changes');
    const payload = formFields(slashCommandBody(`diff ks apps --github-ref ${pr.number} --cluster stage`, { responseUrl: world().slack.responseUrl(`socket-${pr.number}`) }));

    // Act
    const envelopeId = world().slack.socketMode.send({ type: 'slash_commands', payload });
    const ack = await world().slack.socketMode.ackOf(envelopeId);
    await world().settle();

    // Assess
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} });
    expect(acksOf(envelopeId)).toHaveLength(1);
    expect(await jobsOf(pr.number)).toHaveLength(1);
    expect(world().slack.responses.filter((r) => r.id === `socket-${pr.number}` && r.text.includes('queued by'))).toHaveLength(1);
  });

  it('runs a button click once and acknowledges it with no payload', async () => {
    // Prepare
    const pr = await world().openPullRequest('no-changes');
    const button = diffButton(pr);
    const payload = JSON.parse(formFields(blockActionsBody({ actionId: button.actionId, value: button.value, messageTs: pr.ts })).payload ?? '{}') as Record<string, unknown>;

    // Act
    const envelopeId = world().slack.socketMode.send({ type: 'interactive', payload });
    const ack = await world().slack.socketMode.ackOf(envelopeId);
    await world().settle();

    // Assess
    expect(ack).toEqual({ envelope_id: envelopeId, payload: {} });
    expect(acksOf(envelopeId)).toHaveLength(1);
    expect(await jobsOf(pr.number)).toHaveLength(1);
    expect(world().slack.messages.filter((m) => m.threadTs === pr.ts && m.text.includes('queued by'))).toHaveLength(1);
  });

  it('answers a mention once in its thread, its redelivery (retry_attempt) acknowledged but not run again', async () => {
    // Prepare: the person's message is in the channel, as Slack has it.
    const ts = `${Math.floor(Date.now() / 1000)}.000777`;
    world().slack.addMessage({ channel: 'C0FLUX', text: `<@${BOT_USER}> help`, ts });
    const payload = JSON.parse(appMentionBody(`<@${BOT_USER}> help`, { ts, eventId: 'Ev0SOCKET01' })) as Record<string, unknown>;

    // Act
    const first = world().slack.socketMode.send({ type: 'events_api', payload });
    await world().slack.socketMode.ackOf(first);
    await world().settle();
    const again = world().slack.socketMode.send({ type: 'events_api', payload, retryAttempt: 1, retryReason: 'timeout' });
    await world().slack.socketMode.ackOf(again);
    await world().settle();

    // Assess
    expect([acksOf(first), acksOf(again)].map((a) => a.length)).toEqual([1, 1]);
    expect(world().slack.messages.filter((m) => m.threadTs === ts)).toHaveLength(1);
  });

  it('does not acknowledge an envelope the handler refuses, so Slack treats it as failed', async () => {
    // Act: an app_mention without its text, channel or ts (the handler answers 400).
    const envelopeId = world().slack.socketMode.send({ type: 'events_api', payload: { type: 'event_callback', event: { type: 'app_mention' } } });
    await log.waitFor(/events_api → POST \/slack\/events 400 .*not acknowledged/);

    // Assess
    expect(acksOf(envelopeId)).toEqual([]);
  });
});

describe('Socket Mode: what still vouches for a frame', () => {
  const world = useWorld();

  const connect = (appToken: string) => startSlackSocketMode({ appToken, signingSecret: SECRETS.signing, target: 'http://127.0.0.1:9', slackApiUrl: world().env.SLACK_API_URL ?? '', log: () => undefined });

  it('refuses the bot token in SLACK_APP_TOKEN before asking Slack, saying where the app-level token is', async () => {
    await expect(connect(SECRETS.slackToken)).rejects.toThrow(/app-level token \(xapp-…\).*App-Level Tokens/);
    expect(world().slack.socketMode.opened).toBe(0);
  });

  it('stops with what to fix when Slack refuses the app-level token', async () => {
    await expect(connect('xapp-1-A0FLUXAPP-1-revoked')).rejects.toThrow(/invalid_auth.*not a valid app-level token/);
  });

  it('still checks the signature: a relay signing with another secret gets 401 and acknowledges nothing', async () => {
    // Prepare
    const server = await startLocalServer(world().env);
    const log = logLines();
    const relay = await startSlackSocketMode({ appToken: SECRETS.slackAppToken, signingSecret: 'not-the-signing-secret', target: server.url, slackApiUrl: world().env.SLACK_API_URL ?? '', log: log.log });
    await world().slack.socketMode.connected();

    // Act
    const envelopeId = world().slack.socketMode.send({ type: 'slash_commands', payload: formFields(slashCommandBody('help')) });
    await log.waitFor(/slash_commands → POST \/slack\/commands 401/);
    await relay.stop();
    await server.stop();

    // Assess
    expect(world().slack.socketMode.acks.filter((a) => a.envelope_id === envelopeId)).toEqual([]);
  });
});
