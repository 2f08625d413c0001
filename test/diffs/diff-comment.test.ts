import { describe, expect, it } from 'vitest';
import { diffComment } from '../../lib/flows/diffs/diff-comment';
import { displayReport, parseDiffReport } from '../../lib/adapters/flux';

const parts = (diff: string) => ({ marker: '<!-- m -->', title: 'Flux diff', headline: '1 changed', diff, storedTruncated: false });
const count = (text: string, what: string) => text.split(what).length - 1;

describe('diffComment', () => {
  it('puts each object of the diff in its own collapsed section, nested Kustomization groups included', () => {
    // Act
    const body = diffComment(parts('► ConfigMap/default/a changed\n\ndata.x\n± value change\n- 1\n+ 2\n📁 Kustomization/flux-system/infra changed\n► Namespace/redis created\n'));

    // Assess
    expect(body).toContain('<details><summary>► ConfigMap/default/a changed</summary>');
    expect(body).toContain('<details><summary>📁 Kustomization/flux-system/infra changed</summary>');
    expect(body).toContain('<details><summary>► Namespace/redis created</summary>');
    expect(body).toContain('+ 2');
  });

  it('folds exactly the objects the report parser counts: a ► line that is not an object line stays inside its object', () => {
    // Prepare: flux's raw report (drifted), a dyff value that begins with ►, and a nested Kustomization.
    const report = '► ConfigMap/default/a drifted\n\ndata.note\n  ± value change\n► see the runbook\n► Namespace/redis created\n📁 Kustomization/flux-system/infra changed\n► Secret/infra/token deleted\n';
    const summary = parseDiffReport(report);

    // Act
    const body = diffComment(parts(displayReport(report)));

    // Assess
    expect(count(body, '<details>')).toBe(summary.objects.length + summary.kustomizations.length);
    expect(body).not.toContain('<summary>► see the runbook</summary>');
    expect(body).toContain('<details><summary>► ConfigMap/default/a changed</summary>');
  });

  it.each([
    ['many objects', Array.from({ length: 3_000 }, (_, i) => `► ConfigMap/default/cm-${i} changed\n\ndata.value\n± value change\n- old-${i}\n+ new-${i}\n`).join('')],
    ['one object longer than a comment', `► ConfigMap/default/big changed\n${'+ line of a very large value\n'.repeat(4_000)}`],
  ])('keeps %s under GitHub’s limit with every section closed, and says how much is left out', (_, diff) => {
    // Act
    const body = diffComment(parts(diff), 65_536);

    // Assess
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(count(body, '<details>')).toBe(count(body, '</details>'));
    expect(count(body, '<details>')).toBeGreaterThan(0);
    expect(body).toMatch(/_Diff truncated to fit GitHub's 65,536-character comment limit: [\d,]+ more lines; the full diff is in the Slack report\._$/);
  });
});
