import { describe, expect, it } from 'vitest';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { githubDeliveryEvent, pullRequestPayload } from '../helpers/github-payloads';
import { pullRequestTarball } from '../fakes/tarball';
import { SECRETS, useWorld } from '../helpers/world';

/** acme/auto has `autoDiff: true` and one diff target, flux-system/auto on stage. */
describe('autoDiff: diffs queued by the PR itself', () => {
  const world = useWorld();

  const jobsOf = async (number: number) => (await world().runtime()).store.listJobsOfPullRequest('acme/auto', number);
  const threadOf = (ts: string) => world().slack.messages.filter((m) => m.threadTs === ts);

  it('reports the diff in the notice’s thread when the PR opens, without a click', async () => {
    // Act
    const pr = await world().openPullRequest('changes drifted-service', { repository: 'acme/auto' });
    await world().settle();

    // Assess
    expect(await jobsOf(pr.number)).toHaveLength(1);
    const report = threadOf(pr.ts).at(-1);
    expect(report?.text).toContain('6 created · 1 changed · 0 deleted');
    expect(JSON.stringify(report?.blocks)).toContain('Requested by `autoDiff` (config.yaml)');
  });

  it('diffs each push once, however often its delivery arrives', async () => {
    // Prepare
    const pr = await world().openPullRequest('no-changes', { repository: 'acme/auto' });
    await world().settle();
    const headSha = 'c'.repeat(40);
    const push = pullRequestPayload('synchronize', { repository: 'acme/auto', number: pr.number, headSha });
    world().github.addPullRequest({ payload: push.pull_request as Record<string, unknown>, repository: 'acme/auto', files: ['clusters/stage/apps.yaml'] });
    world().github.setTarball('acme/auto', headSha, await pullRequestTarball('acme/auto', headSha, 'changes with-deployment'));
    const delivery = githubDeliveryEvent('pull_request', push, { secret: SECRETS.webhook, deliveryId: `push-${pr.number}` });

    // Act: GitHub's delivery, its redelivery, and the same push in a second delivery
    await handleGithubWebhook(delivery, world().env);
    await handleGithubWebhook(delivery, world().env);
    await handleGithubWebhook(githubDeliveryEvent('pull_request', push, { secret: SECRETS.webhook }), world().env);
    await world().settle();

    // Assess
    expect(await jobsOf(pr.number)).toHaveLength(2);
    expect(threadOf(pr.ts).filter((m) => m.text.includes('4 created'))).toHaveLength(1);
  });

  it('does not run a fork PR’s code unless forks: diff, and says so in the thread', async () => {
    const pr = await world().openPullRequest('changes drifted-service', { repository: 'acme/auto', forkOwner: 'mallory' });
    await world().settle();

    expect(await jobsOf(pr.number)).toHaveLength(0);
    expect(threadOf(pr.ts).at(-1)?.text).toMatch(/autoDiff does not run fork PRs under `forks: notify-only`/);
  });
});
