import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { extractTarball } from '../../lib/flows/diffs/extract-tarball';
import { UnsafeTarball } from '../../lib/flows/diffs/errors';
import { rawArchive, rawEntry } from '../helpers/raw-tar';

/** Builds a GitHub-style tarball (`acme-fleet-<sha>/…`) from a folder made by `build`. */
async function githubTarball(build: (root: string) => void): Promise<Buffer> {
  const work = mkdtempSync(join(tmpdir(), 'tarball-src-'));
  const top = 'acme-fleet-ec26c3e';
  mkdirSync(join(work, top));
  build(join(work, top));
  const chunks: Buffer[] = [];
  for await (const chunk of tar.c({ cwd: work, gzip: true, portable: true }, [top])) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('PR tarball extraction', () => {
  it('extracts the checkout without GitHub’s top-level folder', async () => {
    const tarball = await githubTarball((root) => {
      mkdirSync(join(root, 'apps/podinfo'), { recursive: true });
      writeFileSync(join(root, 'apps/podinfo/release.yaml'), 'kind: HelmRelease\n');
    });
    const destination = mkdtempSync(join(tmpdir(), 'checkout-'));

    const { entries } = await extractTarball(tarball, destination);

    expect(readFileSync(join(destination, 'apps/podinfo/release.yaml'), 'utf8')).toBe('kind: HelmRelease\n');
    expect(entries).toBeGreaterThanOrEqual(3);
  });

  it('keeps links that stay inside the checkout', async () => {
    const tarball = await githubTarball((root) => {
      mkdirSync(join(root, 'base'));
      writeFileSync(join(root, 'base/a.yaml'), 'a: 1\n');
      mkdirSync(join(root, 'overlays'));
      symlinkSync('../base/a.yaml', join(root, 'overlays/a.yaml'));
    });
    const destination = mkdtempSync(join(tmpdir(), 'checkout-'));
    await extractTarball(tarball, destination);
    expect(readFileSync(join(destination, 'overlays/a.yaml'), 'utf8')).toBe('a: 1\n');
  });

  it.each([
    ['a `..` entry', rawArchive(rawEntry('acme-fleet-1/../../escape.txt', 'pwned'))],
    ['an absolute path', rawArchive(rawEntry('/tmp/escape.txt', 'pwned'))],
    ['a symlink out of the checkout', rawArchive(rawEntry('acme-fleet-1/etc', '', '2', '/etc'))],
    ['a relative symlink climbing out', rawArchive(rawEntry('acme-fleet-1/up', '', '2', '../../..'))],
  ])('refuses %s and writes nothing', async (_, tarball) => {
    const destination = join(mkdtempSync(join(tmpdir(), 'checkout-')), 'job');

    await expect(extractTarball(tarball, destination)).rejects.toBeInstanceOf(UnsafeTarball);
    expect(existsSync(destination)).toBe(false);
  });

  it('refuses an archive larger than the unpacked cap', async () => {
    const tarball = rawArchive(rawEntry('acme-fleet-1/big.yaml', 'x'.repeat(4096)));
    await expect(extractTarball(tarball, mkdtempSync(join(tmpdir(), 'c-')), { maxUnpackedBytes: 1024, maxEntries: 10 })).rejects.toThrow(/more than 0 MiB unpacked/);
  });

  it('refuses more manifests to write than the written-bytes cap, counting only what it writes', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const skipped = rawArchive(rawEntry('acme-fleet-1/a.yaml', 'a: 1\n'), rawEntry('acme-fleet-1/chart.tgz', big));
    const written = rawArchive(rawEntry('acme-fleet-1/a.yaml', 'a: 1\n'), rawEntry('acme-fleet-1/crds.yaml', big));
    const caps = { maxWrittenBytes: 1024 * 1024 };
    await expect(extractTarball(skipped, mkdtempSync(join(tmpdir(), 'c-')), caps)).resolves.toMatchObject({ files: 1 });
    await expect(extractTarball(written, mkdtempSync(join(tmpdir(), 'c-')), caps)).rejects.toThrow(/more than 1 MiB of manifests and kustomize inputs to write/);
  });

  it('refuses an archive with too many entries', async () => {
    const tarball = rawArchive(...Array.from({ length: 5 }, (_, i) => rawEntry(`acme-fleet-1/f${i}.yaml`, 'a')));
    await expect(extractTarball(tarball, mkdtempSync(join(tmpdir(), 'c-')), { maxUnpackedBytes: 1e6, maxEntries: 3 })).rejects.toThrow(/more than 3 entries/);
  });

  it('refuses bytes that are not a gzip tar', async () => {
    await expect(extractTarball(Buffer.from('<html>rate limited</html>'), mkdtempSync(join(tmpdir(), 'c-')))).rejects.toBeInstanceOf(UnsafeTarball);
  });
});
