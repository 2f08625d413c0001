import { describe, expect, it } from 'vitest';
import { MAX_CHECK_OUTPUT_CHARS } from '../../lib/adapters/github';
import { randomUUID } from 'node:crypto';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { pullRequestTarball } from '../fakes/tarball';
import type { FakeCheckRun } from '../fakes/github/checks';
import { githubDeliveryEvent, pullRequestPayload } from '../helpers/github-payloads';
import { diffButton, SECRETS, useWorld } from '../helpers/world';

describe('check runs: each diff target of a PR gets one check run on the diffed head SHA', () => {
  const world = useWorld();

  /** Opens a PR with this flux scenario, clicks its Flux diff button and waits for the report and the check run. */
  async function diffOf(scenario: string, options: { kustomization?: string; cluster?: string } = {}) {
    const pr = await world().openPullRequest(scenario);
    const label = `Flux diff: ${options.kustomization ?? 'flux-system/apps'} @ ${options.cluster ?? 'stage'}`;
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
    // queued when the click queued the job, in_progress when flux started, completed: one run throughout.
    expect(run?.history).toEqual(['queued', 'in_progress', 'completed']);
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

  it('finds the queued run when the answer to its creation was lost, and moves that one on', async () => {
    // Prepare: the first create is the click's `queued` one; GitHub makes it and the answer is lost.
    world().github.failAfterEffect({ method: 'POST', path: /\/check-runs$/ }, [{ status: 502, body: { message: 'Bad Gateway' } }]);

    // Act
    const { runs } = await diffOf('no-changes');

    // Assess
    expect(runs).toHaveLength(1);
    expect(runs[0]?.history).toEqual(['queued', 'in_progress', 'completed']);
  });

  it('completes the queued run as a failure when the diff fails before flux starts (cluster down)', async () => {
    // Act
    const { run, runs } = await diffOf('no-changes', { cluster: 'down' });

    // Assess: never in progress, and no second run made by the report.
    expect(runs).toHaveLength(1);
    expect(run).toMatchObject({ name: 'fluxline / down / flux-system/apps', conclusion: 'failure', history: ['queued', 'completed'] });
    expect(run?.output.summary).toMatch(/What to check: \S/);
  });

  it('offers "Run flux diff" on the completed run, so GitHub shows a button that asks for it again', async () => {
    const { run } = await diffOf('changes drifted-service');

    expect(run?.actions).toEqual([{ label: 'Run flux diff', description: expect.any(String), identifier: 'run-flux-diff' }]);
    expect(String(run?.actions[0]?.description).length).toBeLessThanOrEqual(40);
  });

  it('supersedes the queued run when the PR moved on before flux started, and reports on the new head', async () => {
    // Prepare: GitHub's PR is at a new head that no delivery has told Fluxline about yet.
    const pr = await world().openPullRequest('no-changes');
    const moved = 'd'.repeat(40);
    const payload = world().github.pullRequest('acme/fleet', pr.number) as { head: { sha: string }; merge_commit_sha: string | null };
    payload.head.sha = moved;
    payload.merge_commit_sha = null;
    world().github.addPullRequest({ payload, repository: 'acme/fleet', files: ['clusters/stage/apps.yaml'] });
    world().github.setTarball('acme/fleet', moved, await pullRequestTarball('acme/fleet', moved, 'no-changes', 'clusters/stage'));
    world().github.setCompare('acme/fleet', 'main', moved, { behindBy: 0 });

    // Act
    await world().click({ ...diffButton(pr), messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();

    // Assess
    const old = world().github.checkRuns.filter((run) => run.headSha === pr.headSha);
    const now = world().github.checkRuns.filter((run) => run.headSha === moved);
    expect(old).toHaveLength(1);
    expect(old[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled', output: { title: `Superseded by ${moved.slice(0, 7)}` } });
    expect(now).toHaveLength(1);
    expect(now[0]).toMatchObject({ conclusion: 'success', history: ['in_progress', 'completed'] });
  });
});

describe('check runs from autoDiff and pushes', () => {
  const world = useWorld();

  async function push(repository: string, number: number, scenario: string) {
    const headSha = randomUUID().replace(/-/g, '').padEnd(40, 'f').slice(0, 40);
    const payload = pullRequestPayload('synchronize', { repository, number, headSha });
    world().github.addPullRequest({ payload: payload.pull_request as Record<string, unknown>, repository, files: ['clusters/stage/apps.yaml'] });
    world().github.setTarball(repository, headSha, await pullRequestTarball(repository, headSha, scenario, 'clusters/stage'));
    world().github.setCompare(repository, 'main', headSha, { behindBy: 0 });
    const response = await handleGithubWebhook(githubDeliveryEvent('pull_request', payload, { secret: SECRETS.webhook }), world().env);
    expect(response.statusCode).toBe(202);
    await world().settle();
    return headSha;
  }

  /** A run of ours left unfinished on a SHA (a job still waiting or running when the push came). */
  function unfinishedRun(repository: string, headSha: string, name: string, status: 'queued' | 'in_progress' | 'completed') {
    const run: FakeCheckRun = { id: 900_000 + world().github.checkRuns.length, repository, name, headSha, status, conclusion: status === 'completed' ? 'neutral' : null, output: {}, actions: [], history: [status] };
    world().github.checkRuns.push(run);
    return run;
  }

  it('autoDiff makes the run queued when it queues the job, then in progress and completed', async () => {
    // Act
    const pr = await world().openPullRequest('no-changes', { repository: 'acme/auto' });
    await world().settle();

    // Assess
    const runs = world().github.checkRuns.filter((run) => run.headSha === pr.headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: 'fluxline / stage / flux-system/auto', conclusion: 'success', history: ['queued', 'in_progress', 'completed'] });
  });

  it('a push supersedes the old head’s unfinished runs (cancelled, naming the new head) and leaves finished ones; autoDiff runs the new head', async () => {
    // Prepare
    const pr = await world().openPullRequest('no-changes', { repository: 'acme/auto' });
    await world().settle();
    const waiting = unfinishedRun('acme/auto', pr.headSha, 'fluxline / prod / flux-system/auto', 'in_progress');
    const foreign = unfinishedRun('acme/auto', pr.headSha, 'ci / build', 'in_progress');
    const finished = world().github.checkRuns.find((run) => run.headSha === pr.headSha && run.name === 'fluxline / stage / flux-system/auto');

    // Act
    const headSha = await push('acme/auto', pr.number, 'no-changes');

    // Assess
    expect(waiting).toMatchObject({ status: 'completed', conclusion: 'cancelled', output: { title: `Superseded by ${headSha.slice(0, 7)}` } });
    expect(waiting.output.summary).toContain(headSha);
    expect(foreign).toMatchObject({ status: 'in_progress', conclusion: null });
    expect(finished).toMatchObject({ conclusion: 'success', history: ['queued', 'in_progress', 'completed'] });
    expect(world().github.checkRuns.filter((run) => run.headSha === headSha)).toMatchObject([{ name: 'fluxline / stage / flux-system/auto', conclusion: 'success' }]);
  });

  it('without autoDiff, a push makes no run for the new head until someone asks', async () => {
    // Prepare
    const pr = await world().openPullRequest('no-changes');
    const waiting = unfinishedRun('acme/fleet', pr.headSha, 'fluxline / stage / flux-system/apps', 'queued');

    // Act
    const headSha = await push('acme/fleet', pr.number, 'no-changes');

    // Assess
    expect(waiting).toMatchObject({ conclusion: 'cancelled', history: ['queued', 'completed'] });
    expect(world().github.checkRuns.filter((run) => run.headSha === headSha)).toEqual([]);
  });
});
