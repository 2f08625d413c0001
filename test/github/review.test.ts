import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvePullRequest, ReviewRefused, type GithubClient } from '../../lib/adapters/github';
import { addPullRequest, HEAD_SHA, INSTALLATION, startHarness, type Harness } from './harness';

const approval = { owner: 'acme', repo: 'fleet', number: 21, commitId: HEAD_SHA, body: 'Approved from Slack by @alice after flux diff' };

describe('approvePullRequest', () => {
  let h: Harness;
  let client: GithubClient;
  beforeEach(async () => {
    h = await startHarness();
    addPullRequest(h.github, 21);
    client = h.app.forInstallation(INSTALLATION);
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('approves the diffed commit with a body naming the approver', async () => {
    // Act
    const review = await approvePullRequest(client, approval);

    // Assess
    expect(h.github.reviews).toEqual([{ id: review.id, repository: 'acme/fleet', number: 21, event: 'APPROVE', body: approval.body, commit_id: HEAD_SHA }]);
    expect(review.url).toBe(`https://github.com/acme/fleet/pull/21#pullrequestreview-${review.id}`);
  });

  it('turns GitHub’s 422 into ReviewRefused carrying GitHub’s message and what it means', async () => {
    // Prepare
    h.github.rejectReviews('Can not approve your own pull request');

    // Act
    const failure = approvePullRequest(client, approval);

    // Assess
    await expect(failure).rejects.toThrow(ReviewRefused);
    await expect(failure).rejects.toMatchObject({ name: 'ReviewRefused', githubMessage: 'Can not approve your own pull request' });
    await expect(failure).rejects.toThrow(/^GitHub refused to approve acme\/fleet#21: Can not approve your own pull request \(GitHub never lets the author/);
    expect(h.github.reviews).toEqual([]);
  });

  it('refuses to approve a commit that is no longer the head, and says to diff again', async () => {
    // Prepare
    addPullRequest(h.github, 21, [], { headSha: 'b'.repeat(40) });

    // Act
    const failure = approvePullRequest(client, approval);

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'ReviewRefused' });
    await expect(failure).rejects.toThrow(/run the diff again/);
    expect(h.github.reviews).toEqual([]);
  });

  it('approves again once GitHub accepts reviews', async () => {
    // Prepare
    h.github.rejectReviews('Can not approve your own pull request');
    await expect(approvePullRequest(client, approval)).rejects.toThrow(ReviewRefused);
    h.github.rejectReviews(undefined);

    // Act
    await approvePullRequest(client, approval);

    // Assess
    expect(h.github.reviews).toHaveLength(1);
  });

  it('throws PullRequestNotFound for a pull request that does not exist', async () => {
    await expect(approvePullRequest(client, { ...approval, number: 404 })).rejects.toMatchObject({ name: 'PullRequestNotFound' });
  });
});
