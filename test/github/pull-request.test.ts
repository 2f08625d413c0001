import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPullRequest, PullRequestNotFound } from '../../lib/adapters/github';
import { addPullRequest, HEAD_SHA, INSTALLATION, startHarness, type Harness } from './harness';

describe('getPullRequest', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('reads the pull request from the REST API', async () => {
    // Prepare
    addPullRequest(h.github, 42, [], { forkOwner: 'contributor', labels: ['gitops'] });

    // Act
    const pr = await getPullRequest(h.app.forInstallation(INSTALLATION), { owner: 'acme', repo: 'fleet', number: 42 });

    // Assess
    expect(pr).toMatchObject({ repository: 'acme/fleet', number: 42, headSha: HEAD_SHA, headRepository: 'contributor/fleet', fromFork: true, labels: ['gitops'], state: 'open' });
  });

  it('sees the new head after a push', async () => {
    // Prepare
    addPullRequest(h.github, 42);
    addPullRequest(h.github, 42, [], { headSha: 'b'.repeat(40) });

    // Act
    const pr = await getPullRequest(h.app.forInstallation(INSTALLATION), { owner: 'acme', repo: 'fleet', number: 42 });

    // Assess
    expect(pr.headSha).toBe('b'.repeat(40));
  });

  it('throws PullRequestNotFound for a number that does not exist', async () => {
    // Act
    const failure = getPullRequest(h.app.forInstallation(INSTALLATION), { owner: 'acme', repo: 'fleet', number: 404 });

    // Assess
    await expect(failure).rejects.toThrow(PullRequestNotFound);
    await expect(failure).rejects.toThrow('acme/fleet#404 does not exist or the app is not installed on acme/fleet');
    await expect(failure).rejects.toMatchObject({ name: 'PullRequestNotFound', repository: 'acme/fleet', number: 404 });
  });
});
