import { beforeEach, describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../lib/adapters/store';
import { GITOPS_REPOSITORY, runCommand, useDay2World } from '../helpers/day2-world';
import { GITOPS_FILES, PODINFO_RELEASE } from './gitops-fixture';

const RELEASE_PATH = 'clusters/production/podinfo/release.yaml';

const deployed = (version: string, at: string, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  cluster: 'prod',
  kind: 'HelmRelease',
  namespace: 'podinfo',
  name: 'podinfo',
  revision: version,
  version,
  reason: 'UpgradeSucceeded',
  message: `Helm upgrade succeeded for release podinfo/podinfo.v3 with chart podinfo@${version}`,
  at,
  ...overrides,
});

describe('/flux rollback APP on ENV', () => {
  const { world } = useDay2World();

  beforeEach(() => {
    world().github.git.seed(GITOPS_REPOSITORY, 'main', GITOPS_FILES);
    world().github.git.commits.length = 0;
  });

  it('commits the version of the previous successful deployment on that environment', async () => {
    // Prepare: 6.5.3 is current on prod; before it 6.5.2 (twice); stage's newer history must not count.
    const { store } = await world().runtime();
    await store.recordDeployment(deployed('6.5.1', '2026-11-18T10:00:00Z'));
    await store.recordDeployment(deployed('6.5.2', '2026-11-19T10:00:00Z'));
    await store.recordDeployment(deployed('6.5.2', '2026-11-19T12:00:00Z'));
    await store.recordDeployment(deployed('6.5.3', '2026-11-20T10:00:00Z'));
    await store.recordDeployment(deployed('6.5.9', '2026-11-21T10:00:00Z', { cluster: 'stage' }));

    // Act
    const { jobId } = await runCommand(world(), 'rollback podinfo on prod');

    // Assess
    const { git } = world().github;
    expect(git.commits).toHaveLength(1);
    expect(git.commits[0]?.message).toMatch(/^Roll back podinfo to 6\.5\.2 on prod \(was 6\.5\.3\)/);
    expect(git.file(GITOPS_REPOSITORY, 'main', RELEASE_PATH)).toBe(PODINFO_RELEASE.replace('"6.5.3"', '"6.5.2"'));
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    expect(message?.text).toMatch(/rolled back `podinfo` on `prod` from `6\.5\.3` to `6\.5\.2`: committed/);
    const pending = (await store.pendingRolloutsOn('prod')).find((p) => p.jobId === jobId);
    expect(pending).toMatchObject({ action: 'rollback', expect: { version: '6.5.2' } });
    expect((await store.auditOfDay(new Date())).find((entry) => entry.action === 'rollback' && entry.outcome === 'succeeded')).toMatchObject({ actor: 'U0ADMIN', target: 'podinfo@6.5.2 to prod' });
  });

  it('says there is nothing to roll back to when Flux reported no earlier version, and commits nothing', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'rollback api on prod');

    // Assess
    const { store } = await world().runtime();
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    expect(job?.status).toBe('failed');
    expect(message?.text).toMatch(/Nothing to roll back to for `api` on `prod`: Flux has not reported any successful deployment of it there yet.*notification-controller events/);
    expect(world().github.git.commits).toHaveLength(0);
    expect((await store.auditOfDay(new Date())).find((entry) => entry.action === 'rollback' && entry.target === 'api on prod')).toMatchObject({ outcome: 'refused' });
  });

  it('refuses a non-admin before anything runs', async () => {
    // Act
    const { reply } = await runCommand(world(), 'rollback podinfo on prod', { user: 'U0BOB' });

    // Assess
    expect(JSON.parse(reply)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only Fluxline admins may rollback') });
    expect(world().github.git.commits).toHaveLength(0);
  });
});

describe('/flux promote with gitops.mode: pull-request', () => {
  const { world } = useDay2World({ mode: 'pull-request' });

  it('commits on a fluxline/ branch, opens a pull request into gitops.branch and links it', async () => {
    // Prepare
    world().github.git.seed(GITOPS_REPOSITORY, 'main', GITOPS_FILES);
    const main = world().github.git.head(GITOPS_REPOSITORY, 'main');
    const { store } = await world().runtime();
    await store.recordDeployment(deployed('6.5.4', '2026-11-21T10:00:00Z', { cluster: 'stage' }));

    // Act
    const { jobId } = await runCommand(world(), 'promote podinfo@6.5.4 to prod');

    // Assess
    const { git } = world().github;
    expect(git.head(GITOPS_REPOSITORY, 'main')).toBe(main);
    expect(git.commits).toHaveLength(1);
    expect(git.commits[0]?.branch).toBe('fluxline/promote-podinfo-6.5.4-prod');
    expect(git.file(GITOPS_REPOSITORY, 'fluxline/promote-podinfo-6.5.4-prod', RELEASE_PATH)).toBe(PODINFO_RELEASE.replace('"6.5.3"', '"6.5.4"'));
    expect(git.pulls).toHaveLength(1);
    expect(git.pulls[0]).toMatchObject({ head: 'fluxline/promote-podinfo-6.5.4-prod', base: 'main', title: 'Promote podinfo to 6.5.4 on prod' });
    expect(git.pulls[0]?.body).toContain('Requested by Slack user alice (U0ADMIN) via Fluxline');
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    expect(message?.text).toContain(`opened <${git.pulls[0]?.html_url ?? ''}|pull request #${git.pulls[0]?.number ?? ''}>`);
    expect((await store.pendingRolloutsOn('prod')).find((p) => p.jobId === jobId)?.expect).toEqual({ version: '6.5.4' });
  });
});
