import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../lib/core/commands';
import { parseConfig } from '../../lib/core/config';
import { parseFluxEvent } from '../../lib/flows/deploys';
import { verifyFluxRequest, verifyGithubRequest, verifySlackRequest } from '../../lib/core/http';
import { parseInteraction, parseSlashCommand } from '../../lib/flows/interactions';
import { buildSampleEvents, EVENTS_DIR, renderEvent } from '../../scripts/make-events';
import { kindOf, parseSampleEvent, prepareRequest } from '../../scripts/lib/sample-events';
import { LOCAL_SECRETS, signGithubBody } from '../../scripts/lib/signing';
import { SAMPLE_INSTALLATION_ID, SAMPLE_PULL_REQUEST_FILES } from '../../scripts/lib/sample-fleet';

const files = readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json')).sort();
const read = (file: string) => readFileSync(`${EVENTS_DIR}/${file}`, 'utf8');
const eventOf = (file: string) => parseSampleEvent(read(file), file);
const githubFiles = files.filter((f) => kindOf(eventOf(f)) === 'github');
const slackFiles = files.filter((f) => kindOf(eventOf(f)) === 'slack');
const fluxFiles = files.filter((f) => kindOf(eventOf(f)) === 'flux');
const config = parseConfig(readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8'), 'config.example.yaml');

describe('events/', () => {
  it('holds the samples the README and npm start point at', () => {
    expect(files).toEqual(expect.arrayContaining(['ping.json', 'pull-request-opened.json', 'pull-request-synchronize.json', 'pull-request-labeled.json', 'pull-request-ready-for-review.json', 'pull-request-closed-merged.json', 'pull-request-opened-fork.json', 'slack-flux-diff-click.json', 'slack-flux-help.json', 'slack-flux-history.json', 'slack-flux-list.json', 'slack-flux-get-ks.json', 'flux-event-upgrade-succeeded.json', 'flux-event-reconciliation-succeeded.json', 'flux-event-upgrade-failed.json']));
  });

  it('is exactly what scripts/make-events.ts generates (run `npx tsx scripts/make-events.ts` after changing it)', () => {
    const generated = buildSampleEvents();
    expect(Object.keys(generated).sort()).toEqual(files);
    for (const [file, event] of Object.entries(generated)) expect(read(file), file).toBe(renderEvent(event));
  });

  it.each(files)('%s is an API Gateway v2 event with a route Fluxline serves', (file) => {
    // Act
    const event = eventOf(file);

    // Assess
    expect(kindOf(event)).not.toBe('other');
    expect(event.requestContext.http.method).toBe('POST');
    expect(Object.keys(event.headers).every((name) => name === name.toLowerCase())).toBe(true);
  });

  describe.each(githubFiles)('%s', (file) => {
    const event = eventOf(file);
    it('verifies with the local default webhook secret as it is (serverless invoke local)', async () => {
      await expect(verifyGithubRequest(LOCAL_SECRETS.GITHUB_WEBHOOK_SECRET, Buffer.from(event.body), event.headers['x-hub-signature-256'])).resolves.toBeUndefined();
    });

    it('is a delivery with an event name and an id', () => {
      expect(event.headers['x-github-event']).toMatch(/^(ping|pull_request)$/);
      expect(event.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe.each(fluxFiles)('%s', (file) => {
    const event = eventOf(file);
    const raw = JSON.parse(read(file)) as { pathParameters?: { cluster?: string } };

    it('verifies with the local default Flux token as it is (serverless invoke local)', () => {
      expect(() => verifyFluxRequest(LOCAL_SECRETS.FLUX_WEBHOOK_TOKEN, Buffer.from(event.body), event.headers['x-signature'])).not.toThrow();
    });

    it('is a Flux event for a cluster of config.example.yaml, named by the path parameter', () => {
      expect(parseFluxEvent(event.body).reportingController).toMatch(/-controller$/);
      expect(raw.pathParameters?.cluster).toBe(event.rawPath.split('/').pop());
      expect(Object.keys(config.clusters)).toContain(raw.pathParameters?.cluster);
    });
  });

  it.each(githubFiles.filter((f) => f.startsWith('pull-request-')))('%s is a pull request of acme/fleet through installation 4242, whose files the GitHub stand-in knows', (file) => {
    const payload = JSON.parse(eventOf(file).body) as { repository: { full_name: string }; installation: { id: number }; pull_request: { number: number; head: { sha: string } } };
    expect(payload.repository.full_name).toBe('acme/fleet');
    expect(payload.installation.id).toBe(SAMPLE_INSTALLATION_ID);
    expect(payload.pull_request.head.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(SAMPLE_PULL_REQUEST_FILES[payload.pull_request.number]?.length).toBeGreaterThan(0);
  });

  it('has PR files matching config.example.yaml paths (so a notice is posted) and one that is ignored', () => {
    const rules = config.repositories[0]?.pullRequests.paths;
    const watched = (name: string) => (rules?.include ?? []).some((r) => new RegExp(r).test(name)) && !(rules?.exclude ?? []).some((r) => new RegExp(r).test(name));
    const names = Object.values(SAMPLE_PULL_REQUEST_FILES).flat().map((f) => f.filename);
    expect(names.filter(watched).length).toBeGreaterThan(0);
    expect(names.filter((n) => !watched(n))).toEqual(['docs/podinfo.md']);
  });

  it('marks the fork sample as coming from a fork', () => {
    const pr = (JSON.parse(eventOf('pull-request-opened-fork.json').body) as { pull_request: { head: { repo: { fork: boolean; full_name: string } } } }).pull_request;
    expect(pr.head.repo).toMatchObject({ fork: true, full_name: 'contributor/fleet' });
  });

  it('marks the closed sample as merged', () => {
    const payload = JSON.parse(eventOf('pull-request-closed-merged.json').body) as { action: string; pull_request: { merged: boolean; state: string } };
    expect(payload).toMatchObject({ action: 'closed', pull_request: { merged: true, state: 'closed' } });
  });

  describe.each(slackFiles)('%s', (file) => {
    const event = eventOf(file);
    const timestamp = Number(event.headers['x-slack-request-timestamp']);

    it('verifies with the local default signing secret at its own timestamp', () => {
      expect(() =>
        verifySlackRequest(LOCAL_SECRETS.SLACK_SIGNING_SECRET, Buffer.from(event.body), event.headers['x-slack-request-timestamp'], event.headers['x-slack-signature'], { nowMilliseconds: () => timestamp * 1000 }),
      ).not.toThrow();
    });

    it('has a body the Slack handler parses', () => {
      if (event.rawPath.endsWith('/commands')) expect(parseSlashCommand(event.body)).toMatchObject({ command: '/flux' });
      else expect(parseInteraction(event.body).type).toBe('block_actions');
    });
  });

  it('carries a Flux diff button value that lib/core/commands decodes to PR #42 on the local cluster', () => {
    const interaction = parseInteraction(eventOf('slack-flux-diff-click.json').body);
    if (interaction.type !== 'block_actions') throw new Error('not a block_actions sample');
    expect(decodeAction(interaction.payload.actions[0]?.value ?? '')).toEqual({ type: 'flux-diff', repository: 'acme/fleet', number: 42, kustomization: 'flux-system/apps', cluster: 'local' });
  });
});

describe('npm run send', () => {
  const secrets = { GITHUB_WEBHOOK_SECRET: 'real-webhook-secret', SLACK_SIGNING_SECRET: 'real-signing-secret', FLUX_WEBHOOK_TOKEN: 'real-flux-token' };

  it('re-signs a GitHub sample with the server secret and gives it a fresh delivery id', async () => {
    // Prepare
    const event = eventOf('pull-request-opened.json');

    // Act
    const first = prepareRequest(event, { secrets });
    const second = prepareRequest(event, { secrets });

    // Assess
    expect(first.path).toBe('/github/webhook');
    expect(first.body.toString()).toBe(event.body);
    expect(first.headers['x-hub-signature-256']).toBe(signGithubBody('real-webhook-secret', event.body));
    await expect(verifyGithubRequest('real-webhook-secret', first.body, first.headers['x-hub-signature-256'])).resolves.toBeUndefined();
    expect(first.headers['x-github-delivery']).not.toBe(second.headers['x-github-delivery']);
    expect(first.headers['x-github-delivery']).not.toBe(event.headers['x-github-delivery']);
    expect(first.headers).not.toHaveProperty('host');
    expect(first.headers).not.toHaveProperty('content-length');
  });

  it('keeps the delivery id it is given, which is how a redelivery looks', () => {
    expect(prepareRequest(eventOf('pull-request-opened.json'), { secrets, delivery: 'redelivery-1' }).headers['x-github-delivery']).toBe('redelivery-1');
  });

  it('makes each Slack click new (fresh action_ts) and signs it now', () => {
    // Prepare
    const now = Date.UTC(2026, 5, 1, 12, 0, 0);

    // Act
    const request = prepareRequest(eventOf('slack-flux-diff-click.json'), { secrets, nowMilliseconds: () => now });

    // Assess
    const interaction = parseInteraction(request.body.toString());
    if (interaction.type !== 'block_actions') throw new Error('not a block_actions sample');
    expect(interaction.payload.actions[0]?.action_ts.startsWith(String(now / 1000))).toBe(true);
    expect(request.headers['x-slack-request-timestamp']).toBe(String(now / 1000));
    expect(() => verifySlackRequest('real-signing-secret', request.body, request.headers['x-slack-request-timestamp'], request.headers['x-slack-signature'], { nowMilliseconds: () => now })).not.toThrow();
  });

  it('repeats a Slack click when given its id, which is how a Slack retry looks', () => {
    const request = prepareRequest(eventOf('slack-flux-diff-click.json'), { secrets, delivery: '1768469520.482913' });
    const interaction = parseInteraction(request.body.toString());
    if (interaction.type !== 'block_actions') throw new Error('not a block_actions sample');
    expect(interaction.payload.actions[0]?.action_ts).toBe('1768469520.482913');
  });

  it('makes each slash command new (fresh trigger_id) unless given one, as a Slack retry repeats it', () => {
    const event = eventOf('slack-flux-history.json');

    const [first, second] = [prepareRequest(event, { secrets }), prepareRequest(event, { secrets })].map((r) => parseSlashCommand(r.body.toString()));
    const retried = parseSlashCommand(prepareRequest(event, { secrets, delivery: 'trigger-1' }).body.toString());

    expect(first?.trigger_id).not.toBe(second?.trigger_id);
    expect(retried.trigger_id).toBe('trigger-1');
  });

  it('points the response_url of commands and clicks at the local Slack stand-in when there is one', () => {
    const origin = 'http://127.0.0.1:4567';

    const command = parseSlashCommand(prepareRequest(eventOf('slack-flux-history.json'), { secrets, responseUrlOrigin: origin }).body.toString());
    const click = parseInteraction(prepareRequest(eventOf('slack-flux-diff-click.json'), { secrets, responseUrlOrigin: origin }).body.toString());

    expect(command.response_url).toMatch(/^http:\/\/127\.0\.0\.1:4567\/commands\/T\w+\/\d+\/\w+$/);
    if (click.type !== 'block_actions') throw new Error('not a block_actions sample');
    expect(click.payload.response_url).toMatch(/^http:\/\/127\.0\.0\.1:4567\/actions\//);
  });
});
