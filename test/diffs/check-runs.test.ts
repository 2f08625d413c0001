import { describe, expect, it } from 'vitest';
import { MAX_CHECK_OUTPUT_CHARS } from '../../lib/adapters/github';
import { useWorld } from '../helpers/world';

describe('check runs: each diff target of a PR gets one check run on the diffed head SHA', () => {
  const world = useWorld();

  /** Opens a PR with this flux scenario, clicks its Flux diff button and waits for the report and the check run. */
  async function diffOf(scenario: string, options: { kustomization?: string } = {}) {
    const pr = await world().openPullRequest(scenario);
    const label = `Flux diff: ${options.kustomization ?? 'flux-system/apps'} @ stage`;
    const button = pr.buttons.find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label}`);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();
    const runs = world().github.checkRuns.filter((run) => run.headSha === pr.headSha);
    return { pr, runs, run: runs[0] };
  }

  it('concludes success with no changes, named so branch protection can require it', async () => {
    // Act
    const { run, runs } = await diffOf('no-changes');

    // Assess
    expect(runs).toHaveLength(1);
    expect(run).toMatchObject({ name: 'fluxline / stage / flux-system/apps', repository: 'acme/fleet', status: 'completed', conclusion: 'success', output: { title: 'No changes' } });
    expect(run?.history).toEqual(['in_progress', 'completed']);
  });

  it('concludes neutral with changes and no guarded flag: counts as the title, the diff fenced as the text', async () => {
    // Act
    const { run } = await diffOf('changes drifted-service');

    // Assess
    expect(run).toMatchObject({ conclusion: 'neutral', output: { title: '6 created · 1 changed · 0 deleted' } });
    expect(run?.output.summary).toContain('**6 created · 1 changed · 0 deleted**');
    expect(run?.output.text).toMatch(/^```+diff\n► Deployment\/default\/podinfo created\n[\s\S]*► Service\/default\/podinfo changed[\s\S]*spec\.ports\.http\.port[\s\S]*\n```+$/);
  });

  it('concludes action_required when the policy guards a flag, with the flags in the summary', async () => {
    // Act
    const { run } = await diffOf('changes risky-platform');

    // Assess
    expect(run?.conclusion).toBe('action_required');
    expect(run?.output.summary).toContain('**Risk flags:** 1 CRD deleted (needs an admin) · 1 Namespace deleted (needs an admin)');
    expect(run?.output.summary).toContain('An admin must approve this PR from Slack');
  });

  it('concludes neutral when the flags are not guarded, and lists the image changes', async () => {
    const { run } = await diffOf('changes risky-workloads');

    expect(run?.conclusion).toBe('neutral');
    expect(run?.output.summary).toContain('- Deployment/apps/web web: ghcr.io/acme/web:1.4.2 → ghcr.io/acme/web:1.5.0');
  });

  it('concludes failure with flux’s error line and what to check', async () => {
    // Act
    const { run } = await diffOf('build-error ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found');

    // Assess
    expect(run).toMatchObject({ conclusion: 'failure', output: { title: 'flux diff failed' } });
    expect(run?.output.summary).toContain('namespaces "new-ns" not found');
    expect(run?.output.summary).toMatch(/What to check: \S/);
  });

  it('cuts a diff longer than 65,535 characters at a line, with a notice, and GitHub accepts it', async () => {
    // Act
    const { run } = await diffOf('huge 70000');

    // Assess
    expect(run?.conclusion).toBe('neutral');
    const text = run?.output.text ?? '';
    expect(Array.from(text).length).toBeLessThanOrEqual(MAX_CHECK_OUTPUT_CHARS);
    expect(text).toMatch(/\n```+\n\n_Diff cut at a line to fit GitHub's 65,535-character limit: [\d,]+ more lines are in the Slack report\._$/);
  });

  it('updates the same check run when the answer to its creation was lost and the report runs again', async () => {
    // Prepare: GitHub creates the run, but its answer is lost (a 502 after the write).
    world().github.failAfterEffect({ method: 'POST', path: /\/check-runs$/ }, [{ status: 502, body: { message: 'Bad Gateway' } }]);

    // Act
    const { runs } = await diffOf('changes drifted-service');

    // Assess
    expect(runs).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe('neutral');
  });
});
