import { describe, expect, it } from 'vitest';
import { createSlack, prNoticeMessage } from '../../lib/adapters/slack';
import { describeSlackCall } from '../../scripts/lib/slack-calls';
import { startFakeSlack } from '../fakes/slack';

const TOKEN = 'xoxb-slack-calls';

describe('describeSlackCall (what npm start prints for its Slack stand-in)', () => {
  it('prints what the real WebClient posted to the stand-in, as the console printer does', async () => {
    // Prepare
    const printed: string[] = [];
    const fake = await startFakeSlack({ token: TOKEN, onCall: (call) => printed.push(describeSlackCall(call, (id) => fake.files.find((f) => f.id === id)?.content) ?? '') });
    const slack = createSlack({ token: TOKEN, apiUrl: fake.url });
    const notice = prNoticeMessage({ repository: 'acme/fleet', number: 42, title: 'Bump podinfo', url: 'https://github.com/acme/fleet/pull/42', author: 'octocat', baseRef: 'main', headRef: 'bump', headRepository: 'acme/fleet', headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821', fromFork: false, state: 'open', matchedPaths: ['clusters/stage/podinfo.yaml'], matchedPathCount: 1, diffs: [] });

    try {
      // Act
      const posted = await slack.postMessage({ channel: 'C0FLUX', ...notice });
      await slack.uploadFile({ channel: 'C0FLUX', threadTs: posted.ts, filename: 'diff.txt', title: 'flux diff', content: 'line 1\nline 2' });

      // Assess
      expect(printed[0]).toMatch(new RegExp(`^\\[slack\\] chat\\.postMessage → #C0FLUX ts=${posted.ts.replace('.', '\\.')}\\n`));
      expect(printed[0]).toContain('acme/fleet#42');
      expect(printed.find((p) => p.includes('files.uploadV2'))).toMatch(/files\.uploadV2 → #C0FLUX \(thread [\d.]+\): diff\.txt "flux diff" \(13 bytes\)\n {2}│ line 1\n {2}│ line 2\n/);
    } finally {
      await fake.stop();
    }
  });

  it('prints an answer the consumer sent to a response_url of the stand-in', async () => {
    const printed: string[] = [];
    const fake = await startFakeSlack({ token: TOKEN, onCall: (call) => printed.push(describeSlackCall(call) ?? '') });
    const slack = createSlack({ token: TOKEN, apiUrl: fake.url });

    try {
      await slack.respond({ responseUrl: fake.responseUrl('T1'), channel: 'C0FLUX', user: 'U0ADMIN', responseType: 'ephemeral', text: 'podinfo on stage: 6.7.1' });

      expect(printed).toEqual([expect.stringMatching(/^\[slack\] response_url → only the user who asked sees it\n {2}podinfo on stage: 6\.7\.1\n/)]);
      expect(fake.responses).toEqual([{ id: 'T1', responseType: 'ephemeral', text: 'podinfo on stage: 6.7.1' }]);
    } finally {
      await fake.stop();
    }
  });

  it('redacts secrets and says nothing of calls a user would not see', () => {
    // Act
    const posted = describeSlackCall({ method: 'chat.postMessage', params: { channel: 'C1', text: 'token xoxb-1234567890-abcdefghij' }, answer: { ts: '1.000001' } });
    const auth = describeSlackCall({ method: 'auth.test', params: {}, answer: {} });

    // Assess
    expect(posted).not.toContain('xoxb-1234567890-abcdefghij');
    expect(auth).toBeUndefined();
  });

  it('prints an update with the new blocks and an ephemeral with who sees it', () => {
    const blocks = JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: '*updated*' } }]);

    expect(describeSlackCall({ method: 'chat.update', params: { channel: 'C1', ts: '1.5', text: 'x', blocks }, answer: {} })).toMatch(/^\[slack\] chat\.update → #C1 ts=1\.5\n {2}\*updated\*\n$/);
    expect(describeSlackCall({ method: 'chat.postEphemeral', params: { channel: 'C1', user: 'U1', text: 'only you' }, answer: {} })).toBe('[slack] chat.postEphemeral → #C1, only @U1 sees it\n  only you\n');
  });
});
