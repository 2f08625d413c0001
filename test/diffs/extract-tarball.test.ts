import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { COMPRESSED_READ_AHEAD_BYTES, extractTarball } from '../../lib/flows/diffs/extract-tarball';
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

  it('writes the same checkout however the download is cut and paced (property)', async () => {
    // Prepare: files small and large (past the read-ahead the extractor gathers before inflating), in
    // random bytes so that compression does not shrink them below it.
    const large = Buffer.from(Array.from({ length: COMPRESSED_READ_AHEAD_BYTES + 4096 }, (_, i) => (i * 7919) % 251));
    const files: Record<string, Buffer> = { 'a.yaml': Buffer.from('kind: A\n'), 'apps/b.yaml': Buffer.from(`data: ${'x'.repeat(70_000)}\n`), 'apps/large.json': large, 'z.yaml': Buffer.from('kind: Z\n') };
    const tarball = await githubTarball((root) => {
      for (const [path, bytes] of Object.entries(files)) {
        mkdirSync(join(root, path, '..'), { recursive: true });
        writeFileSync(join(root, path), bytes);
      }
    });
    const cuts = fc.uniqueArray(fc.integer({ min: 1, max: tarball.length - 1 }), { maxLength: 12 }).map((points) => [0, ...points.sort((a, b) => a - b), tarball.length]);
    const pauses = fc.array(fc.constantFrom(0, 0, 1, 5), { minLength: 14, maxLength: 14 });

    await fc.assert(
      fc.asyncProperty(cuts, pauses, async (points, waits) => {
        // Act: the archive arrives in these pieces, with these pauses between them (a network that trickles).
        async function* arriving() {
          for (let i = 1; i < points.length; i++) {
            if (waits[i]) await sleep(waits[i]);
            yield tarball.subarray(points[i - 1], points[i]);
          }
        }
        const destination = mkdtempSync(join(tmpdir(), 'paced-'));
        try {
          const extracted = await extractTarball(Readable.from(arriving(), { objectMode: false }), destination);

          // Assess
          expect(extracted.inflatedBytes).toBeGreaterThan(large.length);
          for (const [path, bytes] of Object.entries(files)) expect(readFileSync(join(destination, path)).equals(bytes)).toBe(true);
        } finally {
          rmSync(destination, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('PR tarball extraction of a download cut short', () => {
  it.each([
    ['before the extraction reads it', (source: Readable) => setImmediate(() => source.destroy())],
    ['while the extraction reads it', (source: Readable) => source.once('resume', () => setImmediate(() => source.destroy()))],
  ])('fails, and leaves no folder, when the download closes %s', async (_, cut) => {
    // Prepare: half an archive, then the stream closes without an error or an end (a cancelled body).
    const whole = rawArchive(rawEntry('acme-fleet-1/a.yaml', `a: ${'x'.repeat(50_000)}\n`));
    const source = new Readable({ read: () => undefined });
    source.push(whole.subarray(0, whole.length / 2));
    const destination = join(mkdtempSync(join(tmpdir(), 'cut-')), 'src');

    // Act
    const extraction = extractTarball(source, destination);
    cut(source);

    // Assess
    await expect(extraction).rejects.toThrow(/closed before the archive ended/);
    expect(existsSync(destination)).toBe(false);
  });
});
