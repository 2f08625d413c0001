import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutCache } from '../../lib/flows/diffs/checkout-cache';
import { checkoutPullRequest } from '../../lib/flows/diffs/checkout-pull-request';
import type { FakeComparedFile } from '../fakes/github';
import { githubTarball } from '../helpers/github-tarball';
import { addPullRequest, seen, startHarness, type Harness } from '../github/harness';

const REPO = 'acme/fleet';

const FLEET = {
  'clusters/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../apps\n',
  'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - web.yaml\n  - old/api.yaml\n',
  'apps/web.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n',
  'apps/old/api.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n',
  'apps/gone/cron.yaml': 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cron\n',
};

describe('reusing a kept checkout across warm invocations (issue #20 item 3)', () => {
  let h: Harness;
  let work: string;
  let cache: CheckoutCache;
  beforeEach(async () => {
    h = await startHarness();
    work = mkdtempSync(join(tmpdir(), 'checkout-cache-'));
    cache = new CheckoutCache(join(work, 'kept'), 64 * 1024 * 1024);
    addPullRequest(h.github, 7);
  });
  afterEach(async () => {
    await h.github.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** One diff's checkout of `sha`, disposed (kept) after `use`. */
  async function diffAt<T>(sha: string, job: string, use: (folder: string, reused: unknown, unwritten: ReadonlyMap<string, number>) => T): Promise<T> {
    const pending = checkoutPullRequest(
      { github: () => Promise.resolve(h.app), maxTarballBytes: 50 * 1024 * 1024, cache },
      { repository: REPO, number: 7, folder: join(work, `${job}-checkout`), admit: () => undefined, chooseCommit: () => Promise.resolve({ sha }) },
    );
    try {
      const { folder, reused, unwritten } = await pending.ready;
      return use(folder, reused, unwritten);
    } finally {
      await pending.dispose();
    }
  }
  const first = async () => {
    const sha = h.github.git.seed(REPO, 'pr', FLEET);
    h.github.setTarball(REPO, sha, await githubTarball(sha, FLEET));
    await diffAt(sha, 'job-1', (_folder, reused) => expect(reused).toBeUndefined());
    return sha;
  };
  const tarballsOf = (sha: string) => seen(h.github, new RegExp(`/tarball/${sha}`)).length;

  it('brings the kept checkout to the next commit with the changed files, without a tarball', async () => {
    // Prepare
    const before = await first();
    const after = h.github.git.change(REPO, 'pr', { 'apps/web.yaml': FLEET['apps/web.yaml'].replace('replicas: 1', 'replicas: 3') });
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files: [{ filename: 'apps/web.yaml', status: 'modified' }] });

    // Act
    const web = await diffAt(after, 'job-2', (folder, reused) => {
      expect(reused).toMatchObject({ changed: 1, written: 1 });
      return readFileSync(join(folder, 'apps/web.yaml'), 'utf8');
    });

    // Assess
    expect(web).toContain('replicas: 3');
    expect(tarballsOf(after)).toBe(0);
    expect(seen(h.github, /\/contents\//)).toHaveLength(1);
    expect(cache.kept()).toEqual({ [REPO]: after });
  });

  it('fetches a left-out file once a changed kustomization names it, and leaves out a changed large file that nothing names', async () => {
    // Prepare: two large non-YAML files (over the 64 KiB written unnamed) that no kustomization names yet.
    const files = { ...FLEET, 'apps/files/big.conf': `# big\n${'x'.repeat(100 * 1024)}\n`, 'vendor/blob.bin': 'y'.repeat(200 * 1024) };
    const before = h.github.git.seed(REPO, 'pr', files);
    h.github.setTarball(REPO, before, await githubTarball(before, files));
    await diffAt(before, 'job-1', (folder, _reused, unwritten) => expect([existsSync(join(folder, 'apps/files/big.conf')), unwritten.has('apps/files/big.conf')]).toEqual([false, true]));
    const naming = `${FLEET['apps/kustomization.yaml']}configMapGenerator:\n  - name: big\n    files:\n      - files/big.conf\n`;
    const after = h.github.git.change(REPO, 'pr', { 'apps/kustomization.yaml': naming, 'vendor/blob.bin': 'z'.repeat(300 * 1024) });
    const changed: FakeComparedFile[] = [
      { filename: 'apps/kustomization.yaml', status: 'modified' },
      { filename: 'vendor/blob.bin', status: 'modified' },
    ];
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files: changed });

    // Act
    const found = await diffAt(after, 'job-2', (folder, reused, unwritten) => ({ reused, unwritten: [...unwritten], big: readFileSync(join(folder, 'apps/files/big.conf'), 'utf8'), blob: existsSync(join(folder, 'vendor/blob.bin')) }));

    // Assess
    expect(found).toEqual({ reused: expect.objectContaining({ changed: 2, written: 2 }), unwritten: [['vendor/blob.bin', 300 * 1024]], big: files['apps/files/big.conf'], blob: false });
    expect(tarballsOf(after)).toBe(0);
  });

  it('brings a changed file over the 1 MB the contents API inlines from the blobs API (a new CRD bundle), without a tarball', async () => {
    // Prepare
    const before = await first();
    const crds = `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n# ${'c'.repeat(1_500_000)}\n`;
    const after = h.github.git.change(REPO, 'pr', { 'apps/crds.yaml': crds });
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files: [{ filename: 'apps/crds.yaml', status: 'added' }] });

    // Act
    const written = await diffAt(after, 'job-2', (folder, reused) => {
      expect(reused).toMatchObject({ changed: 1, written: 1 });
      return readFileSync(join(folder, 'apps/crds.yaml'), 'utf8');
    });

    // Assess
    expect(written).toBe(crds);
    expect(tarballsOf(after)).toBe(0);
    expect(seen(h.github, /\/git\/blobs\//)).toHaveLength(1);
  });

  it('follows renames and deletions, leaving no emptied folder behind', async () => {
    // Prepare
    const before = await first();
    const after = h.github.git.change(REPO, 'pr', { 'apps/old/api.yaml': null, 'apps/new/api.yaml': FLEET['apps/old/api.yaml'], 'apps/gone/cron.yaml': null });
    const files: FakeComparedFile[] = [
      { filename: 'apps/new/api.yaml', status: 'renamed', previous_filename: 'apps/old/api.yaml' },
      { filename: 'apps/gone/cron.yaml', status: 'removed' },
    ];
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files });

    // Act
    const found = await diffAt(after, 'job-2', (folder) => ['apps/new/api.yaml', 'apps/old/api.yaml', 'apps/old', 'apps/gone'].map((p) => existsSync(join(folder, p))));

    // Assess
    expect(found).toEqual([true, false, false, false]);
    expect(tarballsOf(after)).toBe(0);
  });

  it('reads both sides of the merge base when the new commit does not contain the kept one (a new test merge)', async () => {
    // Prepare
    const before = await first();
    const after = h.github.git.change(REPO, 'pr', { 'apps/web.yaml': 'kind: Deployment\n# new\n', 'apps/gone/cron.yaml': null });
    h.github.setCompare(REPO, before, after, { behindBy: 1, aheadBy: 1, files: [{ filename: 'apps/web.yaml', status: 'modified' }] });
    h.github.setCompare(REPO, after, before, { behindBy: 1, aheadBy: 1, files: [{ filename: 'apps/gone/cron.yaml', status: 'added' }] });

    // Act
    const found = await diffAt(after, 'job-2', (folder) => [readFileSync(join(folder, 'apps/web.yaml'), 'utf8'), existsSync(join(folder, 'apps/gone/cron.yaml'))]);

    // Assess
    expect(found).toEqual(['kind: Deployment\n# new\n', false]);
  });

  it('downloads the tarball when the comparison lists too many files for GitHub to list them all', async () => {
    // Prepare
    const before = await first();
    const changes = Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`apps/many/m-${i}.yaml`, `kind: ConfigMap\n# ${i}\n`]));
    const after = h.github.git.change(REPO, 'pr', changes);
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files: Object.keys(changes).map((filename) => ({ filename, status: 'added' as const })) });
    h.github.setTarball(REPO, after, await githubTarball(after, { ...FLEET, ...changes }));

    // Act
    const reused = await diffAt(after, 'job-2', (folder, r) => {
      expect(existsSync(join(folder, 'apps/many/m-300.yaml'))).toBe(true);
      return r;
    });

    // Assess
    expect(reused).toBeUndefined();
    expect(tarballsOf(after)).toBe(1);
    expect(seen(h.github, /\/contents\//)).toHaveLength(0);
  });

  it('does not trust a kept checkout that changed on disk (a link slipped in): it downloads the tarball', async () => {
    // Prepare
    const before = await first();
    const [kept] = readdirSync(join(work, 'kept'));
    symlinkSync('/etc', join(work, 'kept', kept ?? '', 'apps', 'etc'));
    const after = h.github.git.change(REPO, 'pr', { 'apps/web.yaml': 'kind: Deployment\n' });
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files: [{ filename: 'apps/web.yaml', status: 'modified' }] });
    h.github.setTarball(REPO, after, await githubTarball(after, { ...FLEET, 'apps/web.yaml': 'kind: Deployment\n' }));

    // Act
    const link = await diffAt(after, 'job-2', (folder, reused) => {
      expect(reused).toBeUndefined();
      return existsSync(join(folder, 'apps', 'etc')) || lstatSync(join(folder, 'apps')).isSymbolicLink();
    });

    // Assess
    expect(link).toBe(false);
    expect(tarballsOf(after)).toBe(1);
  });

  it('does not trust a kept checkout where a link that stays inside slipped in: only the fingerprint sees it', async () => {
    // Prepare
    const before = await first();
    const [kept] = readdirSync(join(work, 'kept'));
    symlinkSync('web.yaml', join(work, 'kept', kept ?? '', 'apps', 'extra.yaml'));
    const after = h.github.git.change(REPO, 'pr', { 'apps/web.yaml': 'kind: Deployment\n' });
    h.github.setCompare(REPO, before, after, { behindBy: 0, aheadBy: 1, files: [{ filename: 'apps/web.yaml', status: 'modified' }] });
    h.github.setTarball(REPO, after, await githubTarball(after, { ...FLEET, 'apps/web.yaml': 'kind: Deployment\n' }));

    // Act
    const extra = await diffAt(after, 'job-2', (folder, reused) => {
      expect(reused).toBeUndefined();
      return existsSync(join(folder, 'apps', 'extra.yaml'));
    });

    // Assess
    expect(extra).toBe(false);
    expect(tarballsOf(after)).toBe(1);
  });

  it('drops the least recently used checkout once the kept ones pass the size bound', async () => {
    // Prepare
    const small = new CheckoutCache(join(work, 'small'), 1_000);
    const folder = (name: string) => {
      const path = join(work, name);
      mkdirSync(join(path, 'apps'), { recursive: true });
      writeFileSync(join(path, 'apps', 'a.yaml'), 'x'.repeat(600));
      return path;
    };

    // Act
    await small.keep('acme/one', 'a'.repeat(40), folder('one'), 600);
    await small.keep('acme/two', 'b'.repeat(40), folder('two'), 600);

    // Assess
    expect(small.kept()).toEqual({ 'acme/two': 'b'.repeat(40) });
    expect(small.bytes).toBe(600);
    expect(readdirSync(join(work, 'small'))).toHaveLength(1);
  });
});
