import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deployment, GITOPS_REPOSITORY, runCommand, useDay2World } from '../helpers/day2-world';
import { API_KUSTOMIZATION, GITOPS_FILES, PODINFO_RELEASE } from './gitops-fixture';

const RELEASE_PATH = 'clusters/production/podinfo/release.yaml';

describe('/flux promote APP@VERSION to ENV', () => {
  const { world, stage, prod } = useDay2World();

  beforeAll(() => {
    stage().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/version': '6.5.4' }, image: 'ghcr.io/stefanprodan/podinfo:6.5.4' }));
    stage().put(deployment('api', 'web', { image: 'ghcr.io/acme/api:2.0.2' }));
    prod().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/version': '6.5.3' }, image: 'ghcr.io/stefanprodan/podinfo:6.5.3' }));
  });

  beforeEach(() => {
    // Every test starts from the same repository (a new commit restoring the files).
    world().github.git.seed(GITOPS_REPOSITORY, 'main', GITOPS_FILES);
    world().github.git.commits.length = 0;
  });

  async function outcome(jobId: string) {
    const { store } = await world().runtime();
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    const audit = (await store.auditOfDay(new Date())).filter((entry) => entry.detail !== undefined && entry.at >= (job?.createdAt ?? ''));
    return { job, text: message?.text ?? '', audit, pending: (await store.pendingRolloutsOn('prod')).find((p) => p.jobId === jobId) };
  }

  it('commits exactly one change, the chart version, keeping every other byte of the file', async () => {
    // Act
    const { jobId, reply } = await runCommand(world(), 'promote podinfo@6.5.4 to prod', { user: 'U0ADMIN' });

    // Assess
    expect(reply).toBe('');
    const { git } = world().github;
    expect(git.commits).toHaveLength(1);
    expect(git.commits[0]).toMatchObject({ branch: 'main', changed: [RELEASE_PATH] });
    expect(git.commits[0]?.message).toMatch(/^Promote podinfo to 6\.5\.4 on prod \(was 6\.5\.3\)\n\nRequested by Slack user alice \(U0ADMIN\) via Fluxline/);
    expect(git.file(GITOPS_REPOSITORY, 'main', RELEASE_PATH)).toBe(PODINFO_RELEASE.replace('"6.5.3"', '"6.5.4"'));
    const { text, job } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(text).toContain(`committed <https://github.com/${GITOPS_REPOSITORY}/commit/${git.commits[0]?.sha ?? ''}|${git.commits[0]?.sha.slice(0, 7) ?? ''}> to \`main\``);
    expect(text).toContain('Reconciling');
  });

  it('leaves a pending rollout that expects the chart version, pointing at the Slack message to update', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote podinfo@6.5.4 to prod');

    // Assess
    const { pending, job } = await outcome(jobId);
    expect(pending).toMatchObject({ cluster: 'prod', app: 'podinfo', action: 'promote', expect: { version: '6.5.4' }, requester: { user: 'U0ADMIN', channel: 'C0FLUX', messageTs: job?.requester.messageTs } });
  });

  it('audits a promote with who, where, what and the commit', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote podinfo@6.5.4 to prod');

    // Assess
    const { audit } = await outcome(jobId);
    expect(audit.find((entry) => entry.outcome === 'succeeded' && entry.target === 'podinfo@6.5.4 to prod')).toMatchObject({
      actor: 'U0ADMIN',
      action: 'promote',
      where: 'C0FLUX',
      detail: expect.stringMatching(/^https:\/\/github\.com\/acme\/fleet\/commit\/[0-9a-f]{40}$/),
    });
  });

  it('promotes an image through the kustomization newTag and expects the commit in the Flux revision', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote api@2.0.2 to prod');

    // Assess
    const { git } = world().github;
    expect(git.commits).toHaveLength(1);
    expect(git.file(GITOPS_REPOSITORY, 'main', 'clusters/production/api/kustomization.yaml')).toBe(API_KUSTOMIZATION.replace('newTag: 2.0.1', 'newTag: 2.0.2'));
    const { pending } = await outcome(jobId);
    expect(pending?.expect).toEqual({ commitSha: git.commits[0]?.sha, appVersion: '2.0.2' });
  });

  it('reads the file again and commits once when it changed under us (409)', async () => {
    // Prepare
    world().github.failNext({ method: 'PUT', path: /\/contents\// }, [{ status: 409, body: { message: `${RELEASE_PATH} does not match 0000`, documentation_url: 'https://docs.github.com/rest' } }]);

    // Act
    const { jobId } = await runCommand(world(), 'promote podinfo@6.5.4 to prod');

    // Assess
    const { job } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(world().github.git.commits).toHaveLength(1);
    const puts = world().github.requests.filter((r) => r.method === 'PUT' && decodeURIComponent(r.path).endsWith(RELEASE_PATH));
    expect(puts.length).toBeGreaterThanOrEqual(2);
  });

  it('fails the job and says so in Slack when GitHub keeps answering 5xx', async () => {
    // Prepare
    world().github.failNext({ method: 'PUT', path: /\/contents\// }, [{ status: 502 }, { status: 502 }, { status: 502 }]);

    // Act
    const { jobId } = await runCommand(world(), 'promote podinfo@6.5.4 to prod');

    // Assess
    const { job, text, audit, pending } = await outcome(jobId);
    expect(job?.status).toBe('failed');
    expect(text).toMatch(/^:x: Promote of `podinfo@6\.5\.4 to prod` failed: .*Bad Gateway/);
    expect(world().github.git.commits).toHaveLength(0);
    expect(pending).toBeUndefined();
    expect(audit.find((entry) => entry.target === 'podinfo@6.5.4 to prod' && entry.outcome === 'failed')).toBeDefined();
  });

  it.each([
    ['an unknown app', 'promote nginx@1.0.0 to prod', /`nginx` was not found under `clusters\/production\/` of acme\/fleet@main \(3 YAML files read\)/],
    ['a version no cluster has run', 'promote podinfo@6.5.40 to prod', /`podinfo@6\.5\.40` is not a version Fluxline has seen.*Known versions of `podinfo`: .*`6\.5\.4`/],
  ])('refuses %s without committing, and audits the refusal', async (_, command, message) => {
    // Act
    const { jobId } = await runCommand(world(), command);

    // Assess
    const { job, text, audit } = await outcome(jobId);
    expect(job?.status).toBe('failed');
    expect(text).toMatch(message);
    expect(world().github.git.commits).toHaveLength(0);
    expect(audit.find((entry) => entry.outcome === 'refused')?.detail).toMatch(message);
  });

  it('commits nothing when the environment already has that version', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote podinfo@6.5.3 to prod');

    // Assess
    const { job, text, pending } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(text).toContain('`podinfo` on `prod` is already at `6.5.3`');
    expect(world().github.git.commits).toHaveLength(0);
    expect(pending).toBeUndefined();
  });

  it('refuses a non-admin in the slash command: no job, no commit, a refused audit entry', async () => {
    // Prepare
    const messages = world().slack.messages.length;

    // Act
    const { reply } = await runCommand(world(), 'promote podinfo@6.5.4 to prod', { user: 'U0BOB' });

    // Assess
    expect(JSON.parse(reply)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only Fluxline admins may promote') });
    expect(world().slack.messages.length).toBe(messages);
    expect(world().github.git.commits).toHaveLength(0);
    const { store } = await world().runtime();
    expect((await store.auditOfDay(new Date())).find((entry) => entry.actor === 'U0BOB')).toMatchObject({ action: 'promote', outcome: 'refused', target: 'podinfo@6.5.4 to prod', where: 'C0FLUX' });
  });
});
