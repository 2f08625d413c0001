import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlack, prNoticeMessage, type SlackPort } from '../../lib/adapters/slack';

describe('createSlack without a token (the console printer of `npm start`)', () => {
  let printed: string;
  let slack: SlackPort;

  beforeEach(() => {
    printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed += String(chunk);
      return true;
    });
    slack = createSlack({ token: undefined, apiUrl: 'https://slack.com/api/' });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('prints a PR notice readably: channel, thread, text lines and buttons', async () => {
    // Prepare
    const message = prNoticeMessage({
      repository: 'acme/fleet',
      number: 42,
      title: 'Bump <podinfo> & friends',
      url: 'https://github.com/acme/fleet/pull/42',
      author: 'octocat',
      baseRef: 'main',
      headRef: 'bump',
      headRepository: 'acme/fleet',
      headSha: 'abcdef0123456789',
      fromFork: false,
      state: 'open',
      matchedPaths: ['apps/podinfo/release.yaml'],
      matchedPathCount: 3,
      diffs: [{ kustomization: 'flux-system/apps', cluster: 'stage', value: 'v' }],
      note: 'Only admins may run diffs.',
    });

    // Act
    await slack.postMessage({ channel: 'C0FLUX', threadTs: '1700000000.000100', ...message });

    // Assess
    expect(printed).toContain('#C0FLUX (thread 1700000000.000100)');
    expect(printed).toContain('Bump <podinfo> & friends (https://github.com/acme/fleet/pull/42)');
    expect(printed).toContain('acme/fleet#42 by octocat');
    expect(printed).toContain('`apps/podinfo/release.yaml`');
    expect(printed).toContain('and 2 more');
    expect(printed).toContain('Only admins may run diffs.');
    expect(printed).toContain('[Flux diff: flux-system/apps @ stage]');
    expect(printed).toContain('[View PR → https://github.com/acme/fleet/pull/42]');
    expect(printed).not.toContain('"type"');
  });

  it('prints the text of a message without blocks', async () => {
    await slack.postMessage({ channel: 'C0FLUX', text: 'Diff of `flux-system/apps` queued by <@U0ALICE>.' });

    expect(printed).toContain('Diff of `flux-system/apps` queued by @U0ALICE.');
  });

  it('answers with unique Slack-shaped timestamps', async () => {
    // Act
    const posted = await Promise.all(Array.from({ length: 500 }, () => slack.postMessage({ channel: 'C0FLUX', text: 'x' })));

    // Assess
    const timestamps = posted.map((p) => p.ts);
    for (const ts of timestamps) expect(ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(new Set(timestamps).size).toBe(500);
    expect(posted[0]?.channel).toBe('C0FLUX');
  });

  it('prints updates, ephemerals and uploads with a preview of the file', async () => {
    // Act
    await slack.updateMessage({ channel: 'C0FLUX', ts: '1700000000.000001', text: 'updated text' });
    await slack.postEphemeral({ channel: 'C0FLUX', user: 'U0BOB', text: 'only for Bob' });
    await slack.uploadFile({ channel: 'C0FLUX', threadTs: '1700000000.000001', filename: 'flux.diff', title: 'Flux diff', content: Array.from({ length: 50 }, (_, i) => `+ line ${i}`).join('\n'), initialComment: 'Full diff' });

    // Assess
    expect(printed).toContain('chat.update → #C0FLUX ts=1700000000.000001');
    expect(printed).toContain('updated text');
    expect(printed).toContain('only @U0BOB sees it');
    expect(printed).toContain('flux.diff "Flux diff"');
    expect(printed).toContain('│ + line 19');
    expect(printed).not.toContain('│ + line 20');
    expect(printed).toContain('… 30 more lines');
  });

  it('never prints a token, even one carried by a message by mistake', async () => {
    // Prepare
    const token = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx';
    const githubToken = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

    // Act
    await slack.postMessage({ channel: 'C0FLUX', text: `oops: ${token} and ${githubToken}` });
    await slack.uploadFile({ channel: 'C0FLUX', filename: 'env', title: 'env', content: `SLACK_BOT_TOKEN=${token}` });

    // Assess
    expect(printed).toContain('oops:');
    expect(printed).not.toContain(token);
    expect(printed).not.toContain(githubToken);
    expect(printed).not.toMatch(/xoxb-\d/);
  });

  it('treats a blank token as no token', async () => {
    const blank = createSlack({ token: '  ', apiUrl: 'http://127.0.0.1:9/api/' });

    await blank.postMessage({ channel: 'C0FLUX', text: 'printed, not sent' });

    expect(printed).toContain('printed, not sent');
  });

  it('never throws, even when stdout does', async () => {
    // Prepare
    vi.spyOn(process.stdout, 'write').mockImplementation(() => {
      throw new Error('EPIPE');
    });

    // Act
    const posted = await slack.postMessage({ channel: 'C0FLUX', text: 'into the void' });
    await slack.uploadFile({ channel: 'C0FLUX', filename: 'a', title: 'a', content: 'a' });

    // Assess
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
  });
});
