import { describe, expect, it } from 'vitest';
import { configSchemas } from '../../lib/core/config/schema';
import { canStartNotice, pathMatcher, scopeProblem } from '../../lib/flows/notices';

const rules = (overrides: Record<string, unknown> = {}) =>
  configSchemas().repositorySchema.parse({ name: 'acme/fleet', pullRequests: overrides }).pullRequests;
const facts = (overrides: Partial<{ action: string; draft: boolean; labels: string[]; eventLabel: string }> = {}) => ({
  action: 'opened',
  draft: false,
  labels: [],
  ...overrides,
});

describe('pull request rules', () => {
  it.each([
    ['opened', undefined],
    ['synchronize', undefined],
    ['edited', 'action-not-watched'],
    ['assigned', 'action-not-watched'],
  ])('action %s -> %s', (action, expected) => {
    expect(canStartNotice(rules(), facts({ action }))).toBe(expected);
  });

  it('skips drafts unless drafts: true', () => {
    expect(canStartNotice(rules(), facts({ draft: true }))).toBe('draft');
    expect(canStartNotice(rules({ drafts: true }), facts({ draft: true }))).toBeUndefined();
  });

  it('skips a PR carrying an excluded label', () => {
    expect(canStartNotice(rules({ labels: { exclude: ['skip-diff'] } }), facts({ labels: ['docs', 'skip-diff'] }))).toBe('excluded-label');
  });

  it('requires one of the included labels when the list is not empty', () => {
    const r = rules({ labels: { include: ['gitops'] } });
    expect(canStartNotice(r, facts({ labels: ['docs'] }))).toBe('missing-label');
    expect(canStartNotice(r, facts({ labels: ['gitops'] }))).toBeUndefined();
  });

  it('lets the arrival of a required label bring a PR into scope although labeled is not a watched type', () => {
    const r = rules({ labels: { include: ['gitops'] } });
    expect(canStartNotice(r, facts({ action: 'labeled', eventLabel: 'gitops', labels: ['gitops'] }))).toBeUndefined();
    expect(canStartNotice(r, facts({ action: 'labeled', eventLabel: 'docs', labels: ['docs', 'gitops'] }))).toBe('action-not-watched');
  });

  it('applies draft and label rules to updates of an existing notice too', () => {
    expect(scopeProblem(rules({ labels: { exclude: ['skip-diff'] } }), facts({ action: 'synchronize', labels: ['skip-diff'] }))).toBe('excluded-label');
  });
});

describe('path matching', () => {
  it('keeps included paths and drops excluded ones', () => {
    const match = pathMatcher({ include: ['^clusters/.*', '^apps/.*'], exclude: ['\\.md$'] });
    expect(match(['clusters/stage/apps.yaml', 'apps/podinfo/README.md', 'apps/podinfo/release.yaml', 'docs/index.md', 'src/main.go'])).toEqual([
      'clusters/stage/apps.yaml',
      'apps/podinfo/release.yaml',
    ]);
  });

  it('watches every path when include is empty', () => {
    expect(pathMatcher({ include: [], exclude: ['^docs/'] })(['a.yaml', 'docs/x.yaml'])).toEqual(['a.yaml']);
  });
});
