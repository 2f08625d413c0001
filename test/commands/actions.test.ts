import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, helpText, UnknownAction } from '../../lib/core/commands';

describe('button values', () => {
  it.each([
    { type: 'flux-diff' as const, repository: 'acme/fleet', number: 42, kustomization: 'flux-system/apps', cluster: 'stage' },
    { type: 'post-diff' as const, jobId: 'slack-0123456789abcdef01234567' },
    { type: 'approve' as const, jobId: 'slack-0123456789abcdef01234567' },
    { type: 'flux-item' as const, action: 'reconcile' as const, jobId: 'slack-0123456789abcdef01234567', row: 3, threadTs: '1700000000.000100' },
  ])('round-trips a $type button within Slack’s 2,000-character value limit', (action) => {
    const value = encodeAction(action);
    expect(value.length).toBeLessThanOrEqual(2_000);
    expect(decodeAction(value)).toEqual(action);
  });

  it.each([
    ['not json', 'not Fluxline JSON'],
    ['{"type":"flux-diff"}', 'another Fluxline version'],
    ['{"v":1,"type":"delete-cluster"}', 'invalid'],
    ['{"v":1,"type":"flux-diff","repository":"acme/fleet","number":-1,"kustomization":"flux-system/apps","cluster":"stage"}', 'invalid'],
    ['{"v":1,"type":"flux-diff","repository":"acme/fleet","number":1,"kustomization":"flux-system/apps","cluster":"__proto__"}', 'invalid (cluster)'],
    ['{"v":1,"type":"flux-diff","repository":"acme/fleet","number":1,"kustomization":"flux-system/apps","cluster":"toString"}', 'invalid (cluster)'],
    ['{"v":1,"type":"flux-diff","repository":"acme/fleet","number":1,"kustomization":"kube-system/a/b","cluster":"stage"}', 'invalid (kustomization)'],
    ['{"v":1,"type":"flux-diff","repository":"acme/fleet","number":1,"kustomization":"Kube_System/apps","cluster":"stage"}', 'invalid (kustomization)'],
    ['{"v":1,"type":"flux-run","action":"events","cluster":"stage","kind":"Kustomization","namespace":"flux-system","name":"../x"}', 'invalid (name)'],
    ['{"v":1,"type":"approve","jobId":"../../JOB#x"}', 'invalid (jobId)'],
    [`{"v":1,"type":"approve","jobId":"${'a'.repeat(2_100)}"}`, "longer than Slack's 2000 characters"],
  ])('refuses a value Fluxline did not write: %s', (value, message) => {
    expect(() => decodeAction(value)).toThrow(UnknownAction);
    expect(() => decodeAction(value)).toThrow(message);
  });
});

describe('help', () => {
  it.each([
    '*`/flux diff ks NAME --github-ref <PR number|PR URL|branch> [--cluster C] [-n NS]`*',
    'e.g. `/flux diff ks apps --github-ref 42`',
    '*`/flux list [APP]`*',
    '*`/flux diff ENV`*',
    '*`/flux promote APP@VERSION to ENV`*',
    '*`/flux rollback APP on ENV`*',
    '*`/flux history APP [on ENV]`*',
    'e.g. `/flux get ks -A`',
  ])('lists every command with its grammar and examples: %s', (line) => {
    expect(helpText()).toContain(line);
  });

  it('narrows to one topic, and falls back to everything for an unknown one', () => {
    expect(helpText('diff')).toContain('/flux diff ks NAME');
    expect(helpText('diff')).not.toContain('/flux promote');
    expect(helpText('nonsense')).toMatch(/^No help on `nonsense`/);
  });
});
