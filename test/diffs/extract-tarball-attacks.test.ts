import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPRESSED_READ_AHEAD_BYTES, extractTarball } from '../../lib/flows/diffs/extract-tarball';
import { UnsafeTarball } from '../../lib/flows/diffs/errors';
import { writeNamedInputs } from '../../lib/flows/diffs/named-inputs';
import { rawArchive, rawEntry, TAR_TYPE, type TarType } from '../helpers/raw-tar';

/**
 * A job folder as the worker has it (/tmp/<job> with the cluster's kubeconfig) and the checkout folder
 * inside it that extraction may write to: anything that resolves to `job` or above has escaped.
 */
function jobFolder(): { base: string; job: string; checkout: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'attack-')));
  const job = join(base, 'job');
  mkdirSync(job);
  writeFileSync(join(job, 'kubeconfig'), 'token: secret\n');
  return { base, job, checkout: join(job, 'src') };
}

/** Every path under `root`, links not followed. */
function walk(root: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    found.push(path);
    if (lstatSync(path).isDirectory()) found.push(...walk(path));
  }
  return found;
}

/** Where a path leads once every link on the way is followed; a dangling link is followed as far as it goes. */
function resolvedTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(realpathSync(dirname(path)), readlinkSync(path));
  }
}

/** The paths under `checkout` that lead to the checkout itself or outside it. */
function escapes(checkout: string): string[] {
  if (!existsSync(checkout)) return [];
  return walk(checkout).filter((path) => !resolvedTarget(path).startsWith(checkout + sep));
}

/** What the job folder holds besides the checkout: only the kubeconfig the test put there. */
const besidesCheckout = (job: string) => walk(job).filter((path) => path !== join(job, 'src') && !path.startsWith(join(job, 'src') + sep));

const top = 'acme-fleet-1';
const link = (path: string, target: string) => rawEntry(`${top}/${path}`, '', TAR_TYPE.symlink, target);
const file = (path: string, body = 'kind: ConfigMap\n') => rawEntry(`${top}/${path}`, body);

describe('PR tarball extraction under attack', () => {
  it.each([
    ['a link that looks local but is the checkout itself', [link('x/y/s', '../..')]],
    ['a chain whose second link climbs out through the first', [link('x/y/s', '../..'), link('x/y/t', 's/..')]],
    ['a chain a -> b -> .. followed by a link through it', [link('x/a', 'b'), link('x/b', '..'), link('x/c', 'a/..')]],
    ['a chain declared before the link it goes through', [link('x/c', 'a/..'), link('x/a', 'b'), link('x/b', '..')]],
    ['a folder link, then a file written through a chain', [link('x/y/s', '../..'), link('x/y/t', 's/..'), file('x/y/t/pwned.yaml')]],
    ['a hard link to a link that is safe only where it stands', [link('deep/a/b/s', '../../x'), rawEntry(`${top}/h`, '', TAR_TYPE.hardlink, `${top}/deep/a/b/s`)]],
    ['a file written through an earlier folder link', [file('b/keep.yaml'), link('a/l', '../b'), file('a/l/extra.yaml')]],
    ['a link replaced by a folder of the same name', [link('a/l', '../b'), rawEntry(`${top}/a/l`, '', TAR_TYPE.directory)]],
    ['a hard link to a path outside', [rawEntry(`${top}/h`, '', TAR_TYPE.hardlink, '../job/kubeconfig')]],
    ['a character device', [rawEntry(`${top}/tty`, '', TAR_TYPE.charDevice)]],
  ])('refuses %s, and leaves neither a checkout nor anything outside it', async (_, entries) => {
    // Prepare
    const { job, checkout } = jobFolder();

    // Act
    const extraction = extractTarball(rawArchive(rawEntry(`${top}/`, '', TAR_TYPE.directory), ...entries), checkout);

    // Assess
    await expect(extraction).rejects.toBeInstanceOf(UnsafeTarball);
    expect(existsSync(checkout)).toBe(false);
    expect(besidesCheckout(job)).toEqual([join(job, 'kubeconfig')]);
  });

  it('keeps a chain of links that ends inside the checkout', async () => {
    // Prepare
    const { checkout } = jobFolder();
    const tarball = rawArchive(file('base/a.yaml', 'a: 1\n'), link('overlays/b', '../base'), link('overlays/c', 'b/a.yaml'), link('d', 'overlays/c'));

    // Act
    await extractTarball(tarball, checkout);

    // Assess
    expect(realpathSync(join(checkout, 'd'))).toBe(join(checkout, 'base/a.yaml'));
    expect(escapes(checkout)).toEqual([]);
  });
});

/** A compressed source that counts what the extractor pulls from it and whether it was closed early. */
function countingSource(chunks: Buffer[]): { stream: Readable; pulled: () => number; closedEarly: () => boolean } {
  let pulled = 0;
  let closedEarly = false;
  function* feed() {
    try {
      for (const chunk of chunks) {
        pulled++;
        yield chunk;
      }
    } finally {
      closedEarly = pulled < chunks.length;
    }
  }
  return { stream: Readable.from(feed(), { objectMode: false, highWaterMark: 1024 }), pulled: () => pulled, closedEarly: () => closedEarly };
}

/** 1 KiB pieces of `bytes`, as a slow network would hand them over. */
const kibChunks = (bytes: Buffer) => Array.from({ length: Math.ceil(bytes.length / 1024) }, (_, i) => bytes.subarray(i * 1024, (i + 1) * 1024));

describe('PR tarball extraction of a gzip bomb', () => {
  // 8 MiB of zeros compress to about 8 KiB; gzip members may be concatenated, so 400 of them (~3.2 MiB,
  // over three times what the extractor holds ahead of zlib) inflate to 3.2 GiB.
  const zeros = gzipSync(Buffer.alloc(8 * 1024 * 1024));
  const members = 400;
  const caps = { maxInflatedBytes: 1024 * 1024, maxUnpackedBytes: 1024 * 1024 };
  // What may be pulled, in 1 KiB chunks: the piece zlib is inflating and the read-ahead behind it, plus the
  // chunks in flight when the refusal lands.
  const mostPulled = (2 * COMPRESSED_READ_AHEAD_BYTES) / 1024 + 16;

  it('stops inflating at the inflated-bytes cap, whatever the entries declare', async () => {
    // Prepare: one honest 1 KiB entry, then 3.2 GiB of zeros no header accounts for.
    const bomb = Buffer.concat([gzipSync(rawEntry(`${top}/small.yaml`, 'a'.repeat(1024))), ...Array.from({ length: members }, () => zeros)]);
    const chunks = kibChunks(bomb);
    const source = countingSource(chunks);
    const { checkout } = jobFolder();

    // Act
    const extraction = extractTarball(source.stream, checkout, caps);

    // Assess
    await expect(extraction).rejects.toThrow(/more than 1 MiB once inflated/);
    expect(source.closedEarly()).toBe(true);
    expect(source.pulled()).toBeLessThanOrEqual(mostPulled);
    expect(existsSync(checkout)).toBe(false);
  });

  it('refuses an entry whose declared size passes the cap before inflating its body', async () => {
    // Prepare: a header declaring 320 MiB, then the zeros that fill it.
    const bomb = Buffer.concat([gzipSync(rawEntry(`${top}/zeros.yaml`, '', TAR_TYPE.file, '', 320 * 1024 * 1024)), ...Array.from({ length: members }, () => zeros)]);
    const chunks = kibChunks(bomb);
    const source = countingSource(chunks);
    const { checkout } = jobFolder();

    // Act
    const extraction = extractTarball(source.stream, checkout, caps);

    // Assess
    await expect(extraction).rejects.toThrow(/more than 1 MiB unpacked/);
    expect(source.closedEarly()).toBe(true);
    expect(source.pulled()).toBeLessThanOrEqual(mostPulled);
    expect(existsSync(checkout)).toBe(false);
  });
});

// Names built from a few parts, `..`, `.` and empty ones included, so collisions and climbs are common.
const part = fc.constantFrom('a', 'b', 'c', '..', '.', '');
const relativeName = fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const entryArbitrary = fc.oneof(
  fc.record({ type: fc.constant<TarType>(TAR_TYPE.file), name: relativeName, target: fc.constant('') }),
  fc.record({ type: fc.constant<TarType>(TAR_TYPE.directory), name: relativeName, target: fc.constant('') }),
  fc.record({ type: fc.constant<TarType>(TAR_TYPE.symlink), name: relativeName, target: fc.oneof(relativeName, fc.constant('/'), relativeName.map((n) => `/${n}`)) }),
  fc.record({ type: fc.constant<TarType>(TAR_TYPE.hardlink), name: relativeName, target: relativeName.map((n) => `${top}/${n}`) }),
);

describe('PR tarball extraction of nested compression', () => {
  it('refuses a gzip inside the gzip, which the tar parser would inflate out of reach of the caps', async () => {
    // Prepare
    const { checkout } = jobFolder();
    const nested = gzipSync(rawArchive(file('a.yaml')));

    // Act
    const extraction = extractTarball(nested, checkout);

    // Assess
    await expect(extraction).rejects.toThrow(/a compressed archive inside a compressed archive/);
    expect(existsSync(checkout)).toBe(false);
  });
});

describe('PR tarball extraction, property', () => {
  it('either extracts a checkout in which nothing resolves outside, or refuses and leaves no folder', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArbitrary, { minLength: 1, maxLength: 8 }), async (entries) => {
        const { job, checkout } = jobFolder();
        const tarball = rawArchive(...entries.map((e) => rawEntry(`${top}/${e.name}`, e.type === TAR_TYPE.file ? 'x: 1\n' : '', e.type, e.target)));
        try {
          await extractTarball(tarball, checkout);
        } catch (err) {
          expect(err).toBeInstanceOf(UnsafeTarball);
          expect(existsSync(checkout)).toBe(false);
        }
        expect(escapes(checkout)).toEqual([]);
        expect(besidesCheckout(job)).toEqual([join(job, 'kubeconfig')]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('named inputs written after the stream, property', () => {
  /** A large non-YAML file: left out of the stream (over 64 KiB), written later only if a kustomization names it. */
  const LARGE = 'y'.repeat(70 * 1024);
  const plainName = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
  /** Large files, and names from k/ (where the kustomization sits): back to one of them, through links or not, or anywhere. */
  const largeAndNamed = fc
    .uniqueArray(plainName, { minLength: 1, maxLength: 4 })
    .chain((large) => fc.tuple(fc.constant(large), fc.array(fc.oneof(fc.constantFrom(...large).map((n) => `../${n}.bin`), relativeName.map((n) => `${n}.bin`), relativeName), { minLength: 1, maxLength: 6 })));
  it('writes a named input only inside the checkout, whatever links the archive made and the kustomization names', async () => {
    let fetched = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(entryArbitrary, { maxLength: 6 }), largeAndNamed, async (entries, [large, named]) => {
        const { job, checkout } = jobFolder();
        const generator = `configMapGenerator:\n  - name: named\n    files:\n${named.map((n) => `      - ${JSON.stringify(n)}\n`).join('')}`;
        const tarball = rawArchive(
          ...large.map((n) => rawEntry(`${top}/${n}.bin`, LARGE)),
          ...entries.map((e) => rawEntry(`${top}/${e.name}`, e.type === TAR_TYPE.file ? 'x: 1\n' : '', e.type, e.target)),
          rawEntry(`${top}/k/kustomization.yaml`, generator),
        );
        let unwritten: Map<string, number>;
        try {
          ({ unwritten } = await extractTarball(tarball, checkout));
        } catch (err) {
          expect(err).toBeInstanceOf(UnsafeTarball);
          return;
        }
        const written = await writeNamedInputs(checkout, unwritten, () => Promise.resolve(Buffer.from('fetched\n')));
        fetched += written.files;
        expect(escapes(checkout)).toEqual([]);
        expect(besidesCheckout(job)).toEqual([join(job, 'kubeconfig')]);
      }),
      { numRuns: 300 },
    );
    // The property wrote named inputs, not only refused archives.
    expect(fetched).toBeGreaterThan(10);
  });
});
