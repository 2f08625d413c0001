import { describe, expect, it } from 'vitest';
import { buttonsOf, diffButton, useWorld } from '../helpers/world';

/**
 * DESIGN §3 "Everything that came from outside is hostile until decoded": what flux prints, what a PR
 * names and what a cluster answers reaches Slack and GitHub only escaped for that destination and with
 * anything shaped like a credential masked. Each test plays the attacker through the real flows.
 */
describe('hostile output: escaped per destination, secrets masked', () => {
  const world = useWorld();

  /** Every token of test/fixtures/flux-diff/hostile.golden, as a leak would show it. */
  const TOKENS = [
    'xoxb-000000000000-000000000000-FAKEfakeFAKEfake',
    'ghs_FAKEfakeFAKEfakeFAKEfakeFAKEfake01',
    'github_pat_11FAKEFAKE0fakefakefake_FAKEfakeFAKEfakeFAKE',
    'AKIAFAKEFAKEFAKEFAKE',
    'fakeFAKEfakeFAKE/fakeFAKEfakeFAKE+fakeFAKE0',
    'fake.bearer.token-FAKE',
    'MIIFAKEFAKEFAKEFAKEFAKEFAKEFAKE',
    'LS0tFAKEFAKEFAKEkeydata==',
    'eyJhbGciOiJSUzI1NiIsImtpZCI6IkZBS0UifQ.FAKE.FAKE',
  ];

  /** Every string Slack would parse as mrkdwn in a message: its fallback text and each mrkdwn text of its blocks. */
  function mrkdwnOf(message: { text: string; blocks?: unknown[] }): string[] {
    const texts = [message.text];
    JSON.stringify(message.blocks ?? [], (key, value: unknown) => {
      if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'mrkdwn') texts.push(String((value as { text?: unknown }).text));
      return value;
    });
    return texts;
  }

  /** Opens a PR with this flux scenario, clicks its Flux diff button and returns the thread's last message. */
  async function diffOf(scenario: string) {
    const pr = await world().openPullRequest(scenario);
    const button = diffButton(pr);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();
    const report = world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1);
    if (!report) throw new Error('no report in the thread');
    return { pr, report };
  }

  async function press(report: { ts: string; threadTs?: string; blocks?: unknown[] }, label: string) {
    const button = buttonsOf(report.blocks).find((b) => b.label === label);
    if (!button) throw new Error(`no ${label} button`);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: report.ts, ...(report.threadTs ? { threadTs: report.threadTs } : {}), user: 'U0ADMIN' });
    await world().settle();
  }

  it('escapes a flux error that carries <!channel> in the failure report, code block and fallback text included', async () => {
    // Act
    const { report } = await diffOf('build-error <!channel> <!here> <@U0ADMIN> <https://evil.example|login> & co');

    // Assess
    expect(report.text).toMatch(/failed/);
    for (const text of mrkdwnOf(report)) {
      expect(text).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    }
    expect(mrkdwnOf(report).join('\n')).toContain('&lt;!channel&gt;');
  });

  it('masks a token in flux’s stderr before the failure reaches Slack', async () => {
    const { report } = await diffOf('build-error auth failed for xoxb-000000000000-000000000000-FAKEfakeFAKEfake via ghs_FAKEfakeFAKEfakeFAKEfakeFAKEfake01');

    const seen = `${report.text}\n${JSON.stringify(report.blocks)}`;
    expect(seen).toMatch(/auth failed/);
    expect(seen).not.toContain('FAKEfakeFAKEfake');
  });

  it('masks tokens and escapes control sequences of a diff in the Slack report and in the PR comment', async () => {
    // Prepare
    const { pr, report } = await diffOf('changes hostile');

    // Act
    await press(report, 'Post diff to PR');

    // Assess: Slack
    const slackSeen = `${report.text}\n${JSON.stringify(report.blocks)}`;
    expect(slackSeen).toContain('ConfigMap/default/leaky');
    for (const token of TOKENS) expect(slackSeen).not.toContain(token);
    for (const text of mrkdwnOf(report)) expect(text).not.toMatch(/<!channel>|<!here>|<@U0EVIL>|<https:\/\/evil/);

    // Assess: GitHub
    const [comment] = world().github.comments.filter((c) => c.number === pr.number);
    expect(comment?.body).toContain('ConfigMap/default/leaky');
    for (const token of TOKENS) expect(comment?.body).not.toContain(token);
    // The diff's own ``` and </details> lines stay inside our fence: the fence that opens the diff closes after them.
    const body = comment?.body ?? '';
    const fence = /\n(`{3,})diff\n/.exec(body)?.[1] ?? '```';
    const inside = body.slice(body.indexOf(`${fence}diff\n`) + fence.length + 5, body.lastIndexOf(`\n${fence}\n`));
    expect(inside).toContain('</details>');
    expect(inside).toContain('\n```\n');
    expect(fence.length).toBeGreaterThan(3);
  });


  it('escapes a PR file named apps/<!here>.yaml in the notice', async () => {
    // Act
    await world().openPullRequest('no-changes', { files: ['apps/<!here>.yaml', 'apps/<@U0ADMIN>&<#C0FLUX>.yaml'] });

    // Assess
    const notice = world().slack.messages.filter((m) => !m.threadTs).at(-1);
    if (!notice) throw new Error('no notice');
    const texts = mrkdwnOf(notice).join('\n');
    expect(texts).toContain('apps/&lt;!here&gt;.yaml');
    expect(texts).not.toMatch(/<!here>|<@U0ADMIN>|<#C0FLUX>/);
  });

  it('names the Slack user on GitHub without an @ that would ping a GitHub account', async () => {
    // Prepare
    const { pr, report } = await diffOf('changes drifted-service');

    // Act
    await press(report, 'Post diff to PR');
    await press(report, 'Approve PR');

    // Assess
    const [comment] = world().github.comments.filter((c) => c.number === pr.number);
    const [review] = world().github.reviews.filter((r) => r.number === pr.number);
    for (const body of [comment?.body ?? '', review?.body ?? '']) {
      expect(body).toContain('Slack user alice (U0ADMIN)');
      expect(body).not.toMatch(/@alice/);
    }
  });

  it('escapes and masks a GitHub error message quoted back to the approver', async () => {
    // Prepare
    const { pr, report } = await diffOf('no-changes');
    world().github.rejectReviews('Can not approve <https://evil.example|this> <!channel> for ghs_FAKEfakeFAKEfakeFAKEfakeFAKEfake01');

    // Act
    await press(report, 'Approve PR');
    world().github.rejectReviews(undefined);

    // Assess
    const answer = world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1);
    expect(answer?.text).toMatch(/Could not approve the PR: .*Can not approve &lt;https:\/\/evil\.example\|this&gt;/);
    expect(answer?.text).not.toMatch(/<!channel>|ghs_FAKE/);
  });

  it('masks and escapes what a cluster says on the flux CLI path: events and not-ready messages', async () => {
    // Prepare: an Event and a failing Kustomization whose messages quote a credential and a broadcast
    const leak = 'pull failed: Authorization: Bearer ghs_FAKEfakeFAKEfakeFAKEfakeFAKEfake01 <!channel> <https://evil.example|x>';
    world().kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'auto.1', namespace: 'flux-system' }, involvedObject: { kind: 'Kustomization', name: 'auto', namespace: 'flux-system' }, type: 'Warning', reason: 'ReconciliationFailed', message: leak, lastTimestamp: new Date(Date.now() - 90_000).toISOString() });
    const auto = world().kube.get({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'auto', namespace: 'flux-system' });
    world().kube.put({ ...(auto ?? {}), status: { conditions: [{ type: 'Ready', status: 'False', message: leak }] } } as Parameters<ReturnType<typeof world>['kube']['put']>[0]);

    // Act
    for (const command of ['events --for Kustomization/auto', 'get ks auto']) {
      await world().command(command, { channel: 'C0STAGE' });
      await world().settle();
      const answer = world().slack.messages.filter((m) => m.channel === 'C0STAGE').at(-1);
      if (!answer) throw new Error(`no answer to ${command}`);

      // Assess
      const seen = `${answer.text}\n${JSON.stringify(answer.blocks)}`;
      expect(seen).toContain('pull failed');
      expect(seen).not.toContain('ghs_FAKE');
      for (const text of mrkdwnOf(answer)) expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
    }
  });

  it('does not let an @mention or #reference inside a flux diff ping anyone from the PR comment', async () => {
    const { pr, report } = await diffOf('changes hostile');

    await press(report, 'Post diff to PR');

    const [comment] = world().github.comments.filter((c) => c.number === pr.number);
    // Inside a fence GitHub neither links nor pings; outside it, no bare @login may appear.
    const outside = (comment?.body ?? '').replace(/(`{3,})diff\n[\s\S]*?\n\1\n/, '');
    expect(outside).not.toMatch(/@[A-Za-z0-9]/);
  });
});
