import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, createSlack, prNoticeMessage, type KnownBlock, type PrNoticeView, type SlackPort } from '../../lib/adapters/slack';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';

const TOKEN = 'xoxb-pr-notice-test';

function view(overrides: Partial<PrNoticeView> = {}): PrNoticeView {
  return {
    repository: 'acme/fleet',
    number: 42,
    title: 'Bump podinfo to 6.5.4',
    url: 'https://github.com/acme/fleet/pull/42',
    author: 'octocat',
    baseRef: 'main',
    headRef: 'bump-podinfo',
    headRepository: 'acme/fleet',
    headSha: '0123456789abcdef0123456789abcdef01234567',
    fromFork: false,
    state: 'open',
    matchedPaths: ['apps/podinfo/release.yaml'],
    matchedPathCount: 1,
    diffs: [{ kustomization: 'flux-system/apps', cluster: 'stage', value: '{"t":"flux-diff","ks":"flux-system/apps","c":"stage"}' }],
    ...overrides,
  };
}

function targets(count: number): PrNoticeView['diffs'] {
  return Array.from({ length: count }, (_, i) => ({ kustomization: `flux-system/app-${i}`, cluster: i % 2 ? 'prod' : 'stage', value: `diff:${i}` }));
}

interface ButtonLike {
  type: string;
  action_id?: string;
  text: { type: string; text: string };
  value?: string;
  url?: string;
}

function buttons(blocks: KnownBlock[]): ButtonLike[] {
  return blocks.flatMap((block) => (block.type === 'actions' ? (block.elements as ButtonLike[]) : []));
}

function texts(blocks: KnownBlock[]): string {
  return JSON.stringify(blocks);
}

describe('prNoticeMessage', () => {
  let fake: FakeSlack;
  let slack: SlackPort;

  beforeAll(async () => {
    fake = await startFakeSlack({ token: TOKEN });
    slack = createSlack({ token: TOKEN, apiUrl: fake.url });
  });

  afterAll(async () => {
    await fake.stop();
  });

  it.each([1, 30, 1200])('passes Slack Block Kit validation with %i diff targets', async (count) => {
    // Prepare
    const message = prNoticeMessage(view({ diffs: targets(count), note: 'Opened from a fork: only admins may run diffs.' }));

    // Act
    const posted = await slack.postMessage({ channel: 'C0FLUX', ...message });

    // Assess
    expect(fake.messages.find((m) => m.ts === posted.ts)?.blocks).toEqual(message.blocks);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('gives each diff target its own button with a unique action_id and the caller value', () => {
    // Act
    const { blocks } = prNoticeMessage(view({ diffs: targets(30) }));

    // Assess
    const diffButtons = buttons(blocks).filter((b) => b.action_id?.startsWith(ACTIONS.fluxDiff));
    expect(diffButtons).toHaveLength(30);
    expect(new Set(diffButtons.map((b) => b.action_id)).size).toBe(30);
    expect(diffButtons[7]).toMatchObject({ action_id: `${ACTIONS.fluxDiff}:7`, value: 'diff:7', text: { type: 'plain_text', text: 'Flux diff: flux-system/app-7 @ prod' } });
    expect(blocks.filter((b) => b.type === 'actions').map((b) => (b.type === 'actions' ? b.elements.length : 0))).toEqual([25, 6]);
  });

  it('ends with a View PR link button', () => {
    const all = buttons(prNoticeMessage(view()).blocks);

    expect(all.at(-1)).toMatchObject({ action_id: ACTIONS.viewPr, text: { text: 'View PR' }, url: 'https://github.com/acme/fleet/pull/42' });
  });

  it('shows at most 100 diff buttons and says how many targets have none', () => {
    const { blocks } = prNoticeMessage(view({ diffs: targets(1200) }));

    expect(buttons(blocks).filter((b) => b.action_id?.startsWith(ACTIONS.fluxDiff))).toHaveLength(100);
    expect(texts(blocks)).toContain('1100 more diff targets have no button');
    expect(buttons(blocks).at(-1)?.action_id).toBe(ACTIONS.viewPr);
  });

  it('keeps button labels within 75 characters, shortening the kustomization but keeping the cluster', () => {
    // Prepare
    const kustomization = `flux-system/${'very-long-kustomization-name-'.repeat(4)}end`;

    // Act
    const [button] = buttons(prNoticeMessage(view({ diffs: [{ kustomization, cluster: 'production-eu-west-1', value: 'v' }] })).blocks);

    // Assess
    expect(Array.from(button?.text.text ?? '').length).toBeLessThanOrEqual(75);
    expect(button?.text.text).toMatch(/^Flux diff: flux-system\/.*….*end @ production-eu-west-1$/);
  });

  it('puts owner/repo#number in the fallback text and shows author, base ← head and the short SHA', () => {
    // Act
    const message = prNoticeMessage(view());

    // Assess
    expect(message.text).toContain('acme/fleet#42');
    const shown = texts(message.blocks);
    expect(shown).toContain('acme/fleet#42');
    expect(shown).toContain('octocat');
    expect(shown).toContain('`main` ← `bump-podinfo`');
    expect(shown).toContain('`0123456`');
    expect(shown).not.toContain('01234567');
    expect(shown).toContain('<https://github.com/acme/fleet/pull/42|Bump podinfo to 6.5.4>');
  });

  it('names the fork for a PR from a fork', () => {
    const shown = texts(prNoticeMessage(view({ fromFork: true, headRepository: 'contributor/fleet', headRef: 'patch-1' })).blocks);

    expect(shown).toContain('`main` ← `contributor/fleet:patch-1`');
  });

  it('lists the matched paths and says how many more there are', () => {
    // Prepare
    const paths = ['clusters/stage/apps.yaml', 'apps/podinfo/release.yaml', 'apps/podinfo/hpa.yaml', 'apps/redis/release.yaml', 'infra/ingress.yaml'];

    // Act
    const shown = texts(prNoticeMessage(view({ matchedPaths: paths, matchedPathCount: 12 })).blocks);

    // Assess
    for (const path of paths) expect(shown).toContain(`\`${path}\``);
    expect(shown).toContain('and 7 more');
    expect(shown).toContain('(12)');
  });

  it('does not say "more" when every matched path is listed', () => {
    const shown = texts(prNoticeMessage(view({ matchedPaths: ['a.yaml', 'b.yaml'], matchedPathCount: 2 })).blocks);

    expect(shown).not.toContain('more');
  });

  it('escapes <, > and & in the title so Slack shows them as text', () => {
    // Act
    const message = prNoticeMessage(view({ title: '<script>alert(1)</script> & <!channel>' }));

    // Assess
    const shown = texts(message.blocks);
    expect(shown).not.toContain('<script>');
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;');
    expect(message.text).not.toContain('<script>');
  });

  it.each([
    { state: 'merged' as const, badge: 'Merged' },
    { state: 'closed' as const, badge: 'Closed' },
    { state: 'draft' as const, badge: 'Draft' },
    { state: 'open' as const, badge: 'Open' },
  ])('shows the $state state in the header line', ({ state, badge }) => {
    const message = prNoticeMessage(view({ state }));

    const header = message.blocks[0]?.type === 'section' ? (message.blocks[0].text?.text ?? '') : '';
    expect(header.split('\n')[0]).toContain(`*${badge}*`);
  });

  it('has no Flux diff button but keeps View PR for a merged PR without diffs', () => {
    // Act
    const message = prNoticeMessage(view({ state: 'merged', diffs: [] }));

    // Assess
    const all = buttons(message.blocks);
    expect(all.filter((b) => b.text.text.startsWith('Flux diff'))).toHaveLength(0);
    expect(all.map((b) => b.text.text)).toEqual(['View PR']);
    expect(message.text).toContain('(merged)');
  });

  it('shows the note as a context line', () => {
    const { blocks } = prNoticeMessage(view({ note: 'Opened from the fork contributor/fleet: diffs are disabled for forks (forks: notify-only).' }));

    expect(blocks.find((b) => b.type === 'context')).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Opened from the fork contributor/fleet: diffs are disabled for forks (forks: notify-only).' }] });
  });

  it('refuses a button value longer than Slack allows instead of sending a message Slack rejects', () => {
    expect(() => prNoticeMessage(view({ diffs: [{ kustomization: 'a/b', cluster: 'c', value: 'x'.repeat(2001) }] }))).toThrow(/2000/);
  });
});
