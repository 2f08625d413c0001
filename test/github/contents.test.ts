import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { branchHead, createBranch, FileChanged, listTree, MAX_BLOB_BYTES, openPullRequest, readBlob, readFile, readFileAt, RepositoryContentNotFound, updateFile, WriteRefused, type GithubClient } from '../../lib/adapters/github';
import { blobSha } from '../fakes/github/contents';
import { INSTALLATION, seen, startHarness, type Harness } from './harness';

const repository = { owner: 'acme', repo: 'fleet' };
const RELEASE = 'spec:\n  chart:\n    spec:\n      version: "6.5.3" # pinned\n';

describe('repository contents: trees, files, commits, branches and pull requests', () => {
  let h: Harness;
  let client: GithubClient;
  beforeEach(async () => {
    h = await startHarness();
    h.github.git.seed('acme/fleet', 'main', { 'clusters/prod/podinfo/release.yaml': RELEASE, 'README.md': '# fleet\n' });
    client = h.app.forInstallation(INSTALLATION);
  });
  afterEach(async () => {
    await h.github.stop();
  });

  it('lists every file of a branch in one recursive tree call, with blob shas', async () => {
    // Act
    const tree = await listTree(client, { ...repository, ref: 'main' });

    // Assess
    expect(tree.truncated).toBe(false);
    expect(tree.files).toEqual([
      { path: 'README.md', sha: blobSha('# fleet\n'), size: 8, link: false },
      { path: 'clusters/prod/podinfo/release.yaml', sha: blobSha(RELEASE), size: Buffer.byteLength(RELEASE), link: false },
    ]);
    expect(seen(h.github, /git\/trees/)).toEqual(['GET /repos/acme/fleet/git/trees/main (installation)']);
  });

  it('reads a file as text with the sha an update must name', async () => {
    // Act
    const file = await readFile(client, { ...repository, path: 'clusters/prod/podinfo/release.yaml', ref: 'main' });

    // Assess
    expect(file).toEqual({ text: RELEASE, sha: blobSha(RELEASE) });
  });

  it('reads a blob by the sha its tree lists, byte for byte (the blobs API serves what the contents API does not inline)', async () => {
    // Prepare
    const large = Buffer.alloc(1_200_000, 'x');
    h.github.git.seed('acme/fleet', 'crds', { 'crds/bundle.yaml': large.toString() });
    const file = (await listTree(client, { ...repository, ref: 'crds' })).files.find((f) => f.path === 'crds/bundle.yaml');

    // Act
    const blob = await readBlob(client, { ...repository, sha: file?.sha ?? '' });
    const gone = await readBlob(client, { ...repository, sha: '0'.repeat(40) });

    // Assess
    expect(blob).toEqual({ kind: 'file', bytes: large });
    expect(gone).toEqual({ kind: 'absent' });
  });

  it('reads a file over the 1 MB the contents API inlines through its blob, and leaves one over MAX_BLOB_BYTES to the tarball', async () => {
    // Prepare
    const large = 'l'.repeat(1_500_000);
    const huge = 'h'.repeat(MAX_BLOB_BYTES + 1);
    h.github.git.seed('acme/fleet', 'crds', { 'crds/large.yaml': large, 'crds/huge.yaml': huge });

    // Act
    const read = await readFileAt(client, { ...repository, path: 'crds/large.yaml', ref: 'crds' });
    const refused = await readFileAt(client, { ...repository, path: 'crds/huge.yaml', ref: 'crds' });

    // Assess
    expect(read).toEqual({ kind: 'file', bytes: Buffer.from(large) });
    expect(refused).toEqual({ kind: 'other', what: 'a file GitHub does not inline' });
    expect(seen(h.github, /git\/blobs/)).toHaveLength(1);
  });

  it('refuses a blob whose bytes do not add up to its size', async () => {
    // Prepare
    h.github.failNext({ method: 'GET', path: /\/git\/blobs\// }, [{ status: 200, body: { sha: 'abc', size: 10, encoding: 'base64', content: Buffer.from('short').toString('base64') } }]);

    // Act
    const blob = await readBlob(client, { ...repository, sha: 'abc' });

    // Assess
    expect(blob).toEqual({ kind: 'other', what: 'a blob of 10 bytes that arrived as 5' });
  });

  it('says which path was missing', async () => {
    await expect(readFile(client, { ...repository, path: 'clusters/qa/x.yaml', ref: 'main' })).rejects.toThrow(RepositoryContentNotFound);
    await expect(readFile(client, { ...repository, path: 'clusters/qa/x.yaml', ref: 'main' })).rejects.toThrow(/`clusters\/qa\/x.yaml` on `main` was not found in acme\/fleet/);
  });

  it('commits one file with the sha it read, and refuses a stale sha with FileChanged (409)', async () => {
    // Prepare
    const path = 'clusters/prod/podinfo/release.yaml';
    const { sha } = await readFile(client, { ...repository, path, ref: 'main' });
    const next = RELEASE.replace('6.5.3', '6.5.4');

    // Act
    const written = await updateFile(client, { ...repository, path, branch: 'main', text: next, sha, message: 'Promote podinfo' });
    const stale = updateFile(client, { ...repository, path, branch: 'main', text: next, sha, message: 'again' });

    // Assess
    expect(written.commitUrl).toBe(`https://github.com/acme/fleet/commit/${written.commitSha}`);
    expect(h.github.git.head('acme/fleet', 'main')).toBe(written.commitSha);
    expect(h.github.git.file('acme/fleet', 'main', path)).toBe(next);
    await expect(stale).rejects.toThrow(FileChanged);
    expect(h.github.git.commits).toHaveLength(1);
  });

  it('creates a branch at the head of another and opens a pull request from it', async () => {
    // Prepare
    const head = await branchHead(client, { ...repository, branch: 'main' });
    const path = 'clusters/prod/podinfo/release.yaml';

    // Act
    await createBranch(client, { ...repository, branch: 'fluxline/promote-podinfo-6.5.4-prod', sha: head });
    await updateFile(client, { ...repository, path, branch: 'fluxline/promote-podinfo-6.5.4-prod', text: RELEASE.replace('6.5.3', '6.5.4'), sha: blobSha(RELEASE), message: 'Promote' });
    const pull = await openPullRequest(client, { ...repository, head: 'fluxline/promote-podinfo-6.5.4-prod', base: 'main', title: 'Promote podinfo', body: 'via Fluxline' });

    // Assess
    expect(pull.url).toBe(`https://github.com/acme/fleet/pull/${pull.number}`);
    expect(h.github.git.head('acme/fleet', 'main')).toBe(head);
  });

  it('explains an existing branch in words (422 Reference already exists)', async () => {
    // Prepare
    const head = await branchHead(client, { ...repository, branch: 'main' });

    // Act
    const again = createBranch(client, { ...repository, branch: 'main', sha: head });

    // Assess
    await expect(again).rejects.toThrow(WriteRefused);
    await expect(again).rejects.toThrow(/Reference already exists \(the branch already exists from an earlier request/);
  });

  it('hides a repository the installation does not cover behind 404, like GitHub', async () => {
    // Prepare
    h.github.git.seed('acme/private', 'main', { 'a.yaml': 'a: 1\n' });

    // Act
    const listing = listTree(client, { owner: 'acme', repo: 'private', ref: 'main' });

    // Assess
    await expect(listing).rejects.toThrow(RepositoryContentNotFound);
  });
});
