import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listPullRequestFiles } from '../../lib/adapters/github';
import { addPullRequest, INSTALLATION, seen, startHarness, type Harness } from './harness';

const pr = { owner: 'acme', repo: 'fleet', number: 9 };
const manyFiles = (count: number) => Array.from({ length: count }, (_, i) => `src/file-${i}.go`);

describe('listPullRequestFiles', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('reads every page of 100 files by following the Link header', async () => {
    // Prepare
    const files = manyFiles(250);
    files[230] = 'clusters/stage/late.yaml';
    addPullRequest(h.github, 9, files);

    // Act
    const listed = await listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(listed).toEqual({ paths: files, truncated: false });
    expect(h.github.requests.filter((r) => r.path.endsWith('/files')).map((r) => new URLSearchParams(r.query).get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(h.github.requests.filter((r) => r.path.endsWith('/files')).every((r) => new URLSearchParams(r.query).get('per_page') === '100')).toBe(true);
  });

  it('stops at GitHub’s 3,000-file cap and says the list is truncated', async () => {
    // Prepare
    addPullRequest(h.github, 9, manyFiles(3_100));

    // Act
    const listed = await listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(listed.truncated).toBe(true);
    expect(listed.paths).toHaveLength(3_000);
    expect(listed.paths.at(-1)).toBe('src/file-2999.go');
    expect(seen(h.github, /\/files$/)).toHaveLength(30);
  });

  it('does not call a pull request of exactly 3,000 files truncated', async () => {
    // Prepare
    addPullRequest(h.github, 9, manyFiles(3_000));

    // Act
    const listed = await listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(listed).toMatchObject({ truncated: false });
    expect(listed.paths).toHaveLength(3_000);
  });

  it('includes the old path of a renamed file: moving a manifest out of a watched folder changes that folder', async () => {
    // Prepare
    addPullRequest(h.github, 9, [
      { filename: 'archive/podinfo/release.yaml', status: 'renamed', previous_filename: 'apps/podinfo/release.yaml' },
      { filename: 'apps/podinfo/hpa.yaml', status: 'removed' },
      { filename: 'README.md', status: 'modified' },
    ]);

    // Act
    const listed = await listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr);

    // Assess
    expect(listed.paths).toEqual(['archive/podinfo/release.yaml', 'apps/podinfo/release.yaml', 'apps/podinfo/hpa.yaml', 'README.md']);
  });

  it('lists an empty pull request as no paths', async () => {
    // Prepare
    addPullRequest(h.github, 9, []);

    // Act & Assess
    expect(await listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr)).toEqual({ paths: [], truncated: false });
  });

  it('throws PullRequestNotFound when the pull request does not exist', async () => {
    await expect(listPullRequestFiles(h.app.forInstallation(INSTALLATION), pr)).rejects.toMatchObject({ name: 'PullRequestNotFound' });
  });
});
