import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkoutPullRequest } from '../../lib/flows/diffs/checkout-pull-request';
import { startStalledBody } from '../fakes/black-hole';
import { buildInputs } from '../helpers/build-inputs';
import { githubTarball, type TarballLink } from '../helpers/github-tarball';
import { addPullRequest, HEAD_SHA, INSTALLATION, seen, startHarness, type Harness } from '../github/harness';
import { rawArchive, rawEntry, TAR_TYPE } from '../helpers/raw-tar';

/** A fleet repository: a base outside the Kustomization's path, generators reading non-YAML files, a nested Flux Kustomization, and big files nothing builds. */
const FLEET = {
  'clusters/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\n  - apps.yaml\n',
  'clusters/stage/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps/podinfo\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n',
  'base/kustomization.yaml':
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: nginx\n    files:\n      - nginx.conf\n      - config/site=site.conf\n  - name: env\n    envs:\n      - app.env\n',
  'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
  'base/nginx.conf': 'server { listen 80; }\n',
  'base/site.conf': 'location / {}\n',
  'base/app.env': 'MODE=stage\n',
  'apps/podinfo/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - release.yaml\npatches:\n  - path: replicas.patch\nsecretGenerator:\n  - name: token\n    files:\n      - token.txt\n',
  'apps/podinfo/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n',
  'apps/podinfo/replicas.patch': '- op: replace\n  path: /spec/replicas\n  value: 3\n',
  'apps/podinfo/token.txt': 'not-a-secret\n',
  'apps/podinfo/crds.json': `{"kind":"List","items":[],"padding":"${'x'.repeat(2 * 1024 * 1024)}"}`,
  '.sourceignore': 'docs/\n',
  'vendor/charts/podinfo-6.5.0.tgz': randomBytes(2 * 1024 * 1024),
  'docs/architecture.png': randomBytes(1536 * 1024),
};

/** A text file of about `kib` KiB: bigger than what is written unnamed (64 KiB), under the 1 MiB of any generator input. */
const large = (label: string, kib: number) => `# ${label}\n${'x'.repeat(kib * 1024)}\n`;

/**
 * Large non-YAML files, each read by a build only if a kustomization names it: one named by a base outside
 * the Kustomization's path (`key=path`), one by the Kustomization `--recursive` follows, one named through a
 * linked folder, and one no kustomization names. `kustomization.yaml` comes after the files it names in
 * the archive or before them, depending on the folder: what is named is known only once all have passed.
 */
const LARGE_INPUTS: Record<string, string | TarballLink> = {
  'clusters/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\n  - apps.yaml\n',
  'clusters/stage/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  path: ./apps/podinfo\n  sourceRef:\n    kind: GitRepository\n    name: fleet\n',
  'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: dashboards\n    files:\n      - overview=files/overview.conf\n',
  'base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
  'base/files/overview.conf': large('overview', 200),
  'base/files/linked.conf': large('linked', 100),
  'apps/podinfo/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - release.yaml\nsecretGenerator:\n  - name: tls\n    files:\n      - ca.pem\nconfigMapGenerator:\n  - name: linked\n    files:\n      - ../shared/linked.conf\n',
  'apps/podinfo/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n',
  'apps/podinfo/ca.pem': large('ca', 100),
  'apps/shared': { link: '../base/files' },
  'vendor/charts/unnamed-0.9.0.tgz': large('unnamed', 900),
};
const NAMED = ['apps/podinfo/ca.pem', 'base/files/linked.conf', 'base/files/overview.conf'];
/** What GitHub's contents API serves at that commit: the files, not the link. */

describe('checking out a PR for flux', () => {
  let h: Harness;
  let work: string;
  beforeEach(async () => {
    h = await startHarness();
    work = mkdtempSync(join(tmpdir(), 'checkout-'));
    addPullRequest(h.github, 7);
  });
  afterEach(async () => {
    await h.github.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const checkout = (admit: () => void = () => undefined) =>
    checkoutPullRequest({ github: () => Promise.resolve(h.app), maxTarballBytes: 50 * 1024 * 1024 }, { repository: 'acme/fleet', number: 7, folder: join(work, 'src'), admit });

  it('writes every file a build of the Kustomization reads (base outside its path, generator inputs, --recursive) and leaves out big files nothing builds', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    const pending = checkout();

    // Act
    const { folder, pr, extracted } = await pending.ready;

    // Assess
    expect(pr.headSha).toBe(HEAD_SHA);
    const inputs = buildInputs(folder, 'clusters/stage');
    expect(inputs.map((f) => f.slice(folder.length + 1)).sort()).toEqual(expect.arrayContaining(['base/nginx.conf', 'base/site.conf', 'base/app.env', 'apps/podinfo/replicas.patch', 'apps/podinfo/token.txt']));
    expect(inputs.filter((f) => !existsSync(f))).toEqual([]);
    expect(existsSync(join(folder, 'apps/podinfo/crds.json'))).toBe(true);
    expect(existsSync(join(folder, '.sourceignore'))).toBe(true);
    expect(existsSync(join(folder, 'vendor/charts/podinfo-6.5.0.tgz'))).toBe(false);
    expect(existsSync(join(folder, 'docs/architecture.png'))).toBe(false);
    expect(extracted.files).toBe(Object.keys(FLEET).length - 2);

    // Act
    await pending.dispose();

    // Assess
    expect(existsSync(folder)).toBe(false);
  });

  it('fetches the large non-YAML files a kustomization names (a base outside the path, a --recursive child, through a linked folder) and leaves out the one none names', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, LARGE_INPUTS));
    const pending = checkout();

    // Act
    const { folder, unwritten } = await pending.ready;

    // Assess
    const inputs = buildInputs(folder, 'clusters/stage');
    expect(inputs.map((f) => f.slice(folder.length + 1))).toEqual(expect.arrayContaining(['base/files/overview.conf', 'apps/podinfo/ca.pem', 'apps/shared/linked.conf']));
    expect(inputs.filter((f) => !existsSync(f))).toEqual([]);
    for (const path of NAMED) expect(readFileSync(join(folder, path), 'utf8')).toBe(LARGE_INPUTS[path]);
    expect(existsSync(join(folder, 'vendor/charts/unnamed-0.9.0.tgz'))).toBe(false);
    expect([...unwritten]).toEqual([['vendor/charts/unnamed-0.9.0.tgz', Buffer.byteLength(LARGE_INPUTS['vendor/charts/unnamed-0.9.0.tgz'] as string)]]);
    expect(seen(h.github, /\/contents\//).map((line) => decodeURIComponent(/contents\/([^? ]+)/.exec(line)?.[1] ?? '')).sort()).toEqual(NAMED);
    expect(seen(h.github, /tarball/)).toHaveLength(1);
    await pending.dispose();
  });

  it('checks the commit out again with every input written when GitHub will not serve a named one by itself', async () => {
    // Prepare: the contents API does not inline overview.conf (as for a file over 1 MB).
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, LARGE_INPUTS));
    h.github.failNext({ method: 'GET', path: /\/contents\/base(\/|%2F)files(\/|%2F)overview\.conf/ }, [{ status: 200, body: { type: 'file', size: 2_000_000, encoding: 'none', content: '' } }]);
    const pending = checkout();

    // Act
    const { folder, unwritten } = await pending.ready;

    // Assess: the second pass wrote every input, named or not.
    for (const path of [...NAMED, 'vendor/charts/unnamed-0.9.0.tgz']) expect(readFileSync(join(folder, path), 'utf8')).toBe(LARGE_INPUTS[path]);
    expect(unwritten.size).toBe(0);
    expect(seen(h.github, /tarball/)).toHaveLength(2);
    await pending.dispose();
  });

  it.each([
    ['the notice’s installation, not waiting for GitHub to name one (whose lookup fails here)', INSTALLATION, 404],
    ['the installation GitHub names when the notice’s is gone (the App was reinstalled)', 999_999, 200],
  ])('reads the PR as %s', async (_, installationId, lookupStatus) => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    if (lookupStatus !== 200) h.github.failNext({ method: 'GET', path: /^\/repos\/acme\/fleet\/installation$/ }, [{ status: lookupStatus, body: { message: 'Not Found' } }]);
    const pending = checkoutPullRequest(
      { github: () => Promise.resolve(h.app), maxTarballBytes: 50 * 1024 * 1024 },
      { repository: 'acme/fleet', number: 7, folder: join(work, 'src'), admit: () => undefined, installationId: Promise.resolve(installationId) },
    );

    // Act
    const { pr, folder } = await pending.ready;

    // Assess
    expect(pr.number).toBe(7);
    expect(existsSync(join(folder, 'base/deployment.yaml'))).toBe(true);
    await pending.dispose();
  });

  it('fails as the lookup does when the notice names no installation and GitHub names none', async () => {
    // Prepare
    h.github.failNext({ method: 'GET', path: /^\/repos\/acme\/fleet\/installation$/ }, [{ status: 404, body: { message: 'Not Found' } }]);
    const pending = checkoutPullRequest(
      { github: () => Promise.resolve(h.app), maxTarballBytes: 50 * 1024 * 1024 },
      { repository: 'acme/fleet', number: 7, folder: join(work, 'src'), admit: () => undefined, installationId: Promise.resolve(undefined) },
    );

    // Act
    const failure = pending.ready;

    // Assess
    await expect(failure).rejects.toThrow(/not installed|installation/i);
    await pending.dispose();
  });

  it('refuses before downloading anything when the PR is not admitted (the fork policy)', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    const pending = checkout(() => {
      throw new Error('forks may not be diffed');
    });

    // Act
    const failure = pending.ready;

    // Assess
    await expect(failure).rejects.toThrow('forks may not be diffed');
    expect(seen(h.github, /tarball/)).toEqual([]);
    await pending.dispose();
  });

  it('stops the download and removes the folder at the first unsafe entry', async () => {
    // Prepare: an archive host that sends a hard link out and then stalls, as if the rest were still coming.
    const stalled = await startStalledBody({ 'content-type': 'application/x-gzip' }, rawArchive(rawEntry('acme-fleet-1/up', '', TAR_TYPE.hardlink, '../job/kubeconfig')));
    h.github.setTarball('acme/fleet', HEAD_SHA, Buffer.alloc(0), { archiveUrl: stalled.url });
    const pending = checkout();

    try {
      // Act
      const failure = pending.ready;

      // Assess: refused although the host never finished sending; its connection closed by us.
      await expect(failure).rejects.toMatchObject({ name: 'UnsafeTarball' });
      expect(existsSync(join(work, 'src'))).toBe(false);
      await expect.poll(() => stalled.openConnections(), { timeout: 10_000 }).toBe(0);
    } finally {
      await pending.dispose();
      await stalled.stop();
    }
  });

  it('stops at the compressed-size cap while streaming, with TarballTooLarge, and leaves no folder', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    const pending = checkoutPullRequest({ github: () => Promise.resolve(h.app), maxTarballBytes: 256 * 1024 }, { repository: 'acme/fleet', number: 7, folder: join(work, 'src'), admit: () => undefined });

    // Act
    const failure = pending.ready;

    // Assess
    await expect(failure).rejects.toMatchObject({ name: 'TarballTooLarge', maxBytes: 256 * 1024 });
    expect(existsSync(join(work, 'src'))).toBe(false);
    await pending.dispose();
  });

  it('stops a download still under way when disposed, and removes the folder', async () => {
    // Prepare: an archive host that sends the first entry and then stalls.
    const stalled = await startStalledBody({ 'content-type': 'application/x-gzip' }, rawArchive(rawEntry('acme-fleet-1/a.yaml', 'a: 1\n')).subarray(0, 30));
    h.github.setTarball('acme/fleet', HEAD_SHA, Buffer.alloc(0), { archiveUrl: stalled.url });
    const pending = checkout();
    await expect.poll(() => stalled.connections(), { timeout: 10_000 }).toBe(1);

    try {
      // Act
      await pending.dispose();

      // Assess
      await expect(pending.ready).rejects.toThrow();
      expect(existsSync(join(work, 'src'))).toBe(false);
      await expect.poll(() => stalled.openConnections(), { timeout: 10_000 }).toBe(0);
    } finally {
      await stalled.stop();
    }
  });
});
