import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { extractTarball } from '../../lib/flows/diffs/extract-tarball';
import { UnsafeTarball } from '../../lib/flows/diffs/errors';

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

/** A raw tar header + body, for entries a well-behaved archiver would never write. */
function rawEntry(path: string, body: string, type: '0' | '2' = '0', linkpath = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(path, 0, 100);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write(linkpath, 157, 100);
  header.write('ustar\0', 257);
  header.write('00', 263);
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([header, data]);
}

const archive = (...entries: Buffer[]) => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));

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
    ['a `..` entry', archive(rawEntry('acme-fleet-1/../../escape.txt', 'pwned'))],
    ['an absolute path', archive(rawEntry('/tmp/escape.txt', 'pwned'))],
    ['a symlink out of the checkout', archive(rawEntry('acme-fleet-1/etc', '', '2', '/etc'))],
    ['a relative symlink climbing out', archive(rawEntry('acme-fleet-1/up', '', '2', '../../..'))],
  ])('refuses %s and writes nothing', async (_, tarball) => {
    const destination = join(mkdtempSync(join(tmpdir(), 'checkout-')), 'job');

    await expect(extractTarball(tarball, destination)).rejects.toBeInstanceOf(UnsafeTarball);
    expect(existsSync(destination)).toBe(false);
  });

  it('refuses an archive larger than the unpacked cap', async () => {
    const tarball = archive(rawEntry('acme-fleet-1/big.yaml', 'x'.repeat(4096)));
    await expect(extractTarball(tarball, mkdtempSync(join(tmpdir(), 'c-')), { maxUnpackedBytes: 1024, maxEntries: 10 })).rejects.toThrow(/more than 0 MB unpacked/);
  });

  it('refuses an archive with too many entries', async () => {
    const tarball = archive(...Array.from({ length: 5 }, (_, i) => rawEntry(`acme-fleet-1/f${i}.yaml`, 'a')));
    await expect(extractTarball(tarball, mkdtempSync(join(tmpdir(), 'c-')), { maxUnpackedBytes: 1e6, maxEntries: 3 })).rejects.toThrow(/more than 3 entries/);
  });

  it('refuses bytes that are not a gzip tar', async () => {
    await expect(extractTarball(Buffer.from('<html>rate limited</html>'), mkdtempSync(join(tmpdir(), 'c-')))).rejects.toBeInstanceOf(UnsafeTarball);
  });
});
