import { close, createWriteStream, open, write } from 'node:fs';
import { link, mkdir, realpath, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar';
import { CheckoutTree, checkoutPath } from './checkout-tree';
import { UnsafeTarball } from './errors';
import { fluxReadRule } from './flux-inputs';
import { verifyCheckout } from './verify-checkout';

export interface ExtractLimits {
  maxEntries: number;
  /** Sum of the sizes the entries declare, checked at each header before its body is inflated. */
  maxUnpackedBytes: number;
  /** Bytes out of gunzip, counted as they come whatever the headers say: padding, trailing data and all. */
  maxInflatedBytes: number;
  /** Bytes written to disk; Lambda's /tmp is shared with flux's own cache. */
  maxWrittenBytes: number;
}

export const DEFAULT_EXTRACT_LIMITS: ExtractLimits = {
  maxEntries: 100_000,
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxInflatedBytes: 1152 * 1024 * 1024,
  maxWrittenBytes: 400 * 1024 * 1024,
};

export interface Extracted {
  entries: number;
  /** Bytes out of gunzip. */
  inflatedBytes: number;
  /** Files written; the rest were left out as nothing flux reads unless named (flux-inputs.ts). */
  files: number;
  writtenBytes: number;
  /**
   * Files left out that a kustomization could still name (flux-inputs.ts `if-named`), with their sizes:
   * the caller fetches the named ones (named-inputs.ts). Empty with `writeIfNamed`.
   */
  unwritten: Map<string, number>;
}

export interface ExtractOptions extends Partial<ExtractLimits> {
  /** Writes the `if-named` files too: when they cannot be fetched one by one (named-inputs.ts). */
  writeIfNamed?: boolean;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
/** Headers that only describe the next entry; the parser applies them and they carry nothing to write. */
const META_TYPES = new Set(['GlobalExtendedHeader', 'ExtendedHeader', 'OldExtendedHeader', 'NextFileHasLongPath', 'NextFileHasLongLinkpath', 'OldGnuLongPath']);

/**
 * What zlib inflates per step: 128 KiB rather than its default 16, an eighth of the trips through libuv's
 * pool, this loop and the parser. Not 1 MiB: each step is a new Buffer, and dead ones wait for V8's next
 * GC of their wrappers; in the bench, 1 MiB steps held ~32 MB of them at once against ~27, and the worker's
 * peak RSS rose by ~5 MB for ~10 ms less of inflating at 50 MB.
 */
const INFLATE_STEP_BYTES = 128 * 1024;
/**
 * Compressed bytes read ahead of zlib. A socket hands over 64 KiB at a time, and zlib inflates each write in
 * its own trip through libuv's pool and back, with the main thread waiting: ~800 trips for the bench's 50 MB.
 * Handing zlib whatever arrived during its last trip, up to this much, leaves the trips its 128 KiB steps
 * need. In A/B runs of the bench the 200 MB stream took ~150 ms less (at 50 MB, less than the machine's
 * noise); 1 MiB was no faster and cost ~4 MB more peak RSS. Past an entry that stops the checkout, at most
 * twice this was downloaded: the piece being inflated and the read-ahead behind it.
 */
export const COMPRESSED_READ_AHEAD_BYTES = 512 * 1024;
/**
 * Inflated bytes between two minor GCs asked of V8 (when the worker runs with `--expose-gc`, serverless.yml).
 * Each chunk of the download and of zlib is external memory behind a wrapper of a few hundred bytes: the
 * wrappers fill no semi-space, so no scavenge comes, and dead chunks waited for V8's external-memory limit,
 * 25-30 MB of them at once in a 50 MB checkout. A scavenge every 2 MiB keeps that to ~6 MB, for well under
 * a millisecond each.
 */
const SCAVENGE_EVERY_BYTES = 2 * 1024 * 1024;
/** V8's gc() when exposed: only its minor (young-generation) collection is asked for. */
const exposedGc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;

/** Files up to this size are gathered and written at once (writeSmallFile) rather than streamed. */
const SMALL_FILE_BYTES = 256 * 1024;
/** Writes under way at once: enough to keep libuv's pool busy, bounding what small files hold in memory (64 × 256 KiB). */
const MAX_WRITES_IN_FLIGHT = 64;

/**
 * open ('wx': O_EXCL, never through a link), write, close, with fs's callbacks: each step in libuv's pool
 * like fs/promises' writeFile, without its FileHandle and promise per step, which cost ~0.1 ms of the main
 * thread per file (issue #20: ~25 ms of CPU for the bench's few hundred manifests, ~7 ms this way). Not
 * writeFileSync: beside the pool's streamed writes of large files, ext4 holds a synchronous create for
 * up to milliseconds, and the main thread would wait on each (measured ~200 ms for 200 manifests).
 */
function writeSmallFile(path: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    open(path, 'wx', 0o644, (opened, fd) => {
      if (opened) return reject(opened);
      const finish = (err: Error | null) =>
        close(fd, (closed) => {
          const failure = err ?? closed;
          if (failure) reject(failure);
          else resolve();
        });
      const rest = (offset: number): void =>
        write(fd, bytes, offset, bytes.length - offset, null, (err, written) => (err ? finish(err) : offset + written < bytes.length ? rest(offset + written) : finish(null)));
      if (bytes.length === 0) finish(null);
      else rest(0);
    });
  });
}

/**
 * The compressed bytes in pieces of whatever has arrived since the last piece was taken, reading at most
 * `readAhead` bytes ahead (the source is paused there). It never waits for more once something has
 * arrived: a host that trickles or stalls is inflated, and judged, as far as it has sent. When the
 * extraction gives up (`signal`: a refused entry) the source is destroyed, so the download stops.
 */
async function* arrivedPieces(source: Readable, readAhead: number, signal: AbortSignal): AsyncGenerator<Buffer> {
  const held: Buffer[] = [];
  let heldBytes = 0;
  let ended = false;
  const closedEarly = () => new Error('the download was closed before the archive ended');
  // The source may have failed or closed while the extraction made its folder, before anything listened.
  let failure: Error | undefined = source.destroyed ? (source.errored ?? closedEarly()) : undefined;
  let wake = () => undefined as void;
  source.on('data', (chunk: Buffer) => {
    held.push(chunk);
    heldBytes += chunk.length;
    if (heldBytes >= readAhead) source.pause();
    wake();
  });
  source.once('end', () => ((ended = true), wake()));
  source.once('error', (err: Error) => ((failure ??= err), wake()));
  // Destroyed without an error (a cancelled body): no 'end' comes, and no more bytes.
  source.once('close', () => ((failure ??= ended ? undefined : closedEarly()), wake()));
  // The extraction gave up: a source waiting on a host that stalls closes only once the download is cancelled.
  signal.addEventListener('abort', () => ((failure ??= signal.reason as Error), wake()), { once: true });
  try {
    for (;;) {
      if (failure) throw failure;
      if (heldBytes > 0) {
        const piece = held.length === 1 ? (held[0] as Buffer) : Buffer.concat(held, heldBytes);
        held.length = 0;
        heldBytes = 0;
        source.resume();
        yield piece;
      } else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended) source.destroy();
  }
}

const mib = (bytes: number) => `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;

/** zlib (Z_DATA_ERROR, Z_BUF_ERROR…) and tar (TAR_BAD_ARCHIVE…) say the bytes are not a gzip tar; anything else is the download's own failure. */
function notAnArchive(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('TAR_'));
}

/**
 * Extracts a PR tarball in one streaming pass: compressed bytes -> gunzip -> tar parser, each entry judged
 * as it arrives against everything before it (checkout-tree.ts) and written at once, only if flux could
 * read it without a kustomization naming it (flux-inputs.ts; the rest are listed in `unwritten`). Caps on entries, declared sizes, inflated bytes and written bytes hold while
 * inflating; the first violation stops the stream (so the download is cancelled) and removes
 * `destination`. Symbolic links are created last, once the whole chain is known, and the kernel is then
 * asked where each one leads (verify-checkout.ts). A hostile PR (forks can open PRs too) never gets a
 * path that leads to the job folder or outside.
 */
export async function extractTarball(source: Buffer | Readable, destination: string, { writeIfNamed = false, ...limits }: ExtractOptions = {}): Promise<Extracted> {
  const caps = { ...DEFAULT_EXTRACT_LIMITS, ...limits };
  const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  const stats: Extracted = { entries: 0, inflatedBytes: 0, files: 0, writtenBytes: 0, unwritten: new Map() };
  const tree = new CheckoutTree();
  const writes = new Set<Promise<void>>();
  const hardLinks: { path: string; target: string }[] = [];
  const folders = new Map<string, Promise<void>>();
  let unpacked = 0;

  let problem: Error | undefined;
  let stop: (err: Error) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => undefined);
  const throwIfFailed = () => {
    if (problem) throw problem;
  };
  // Tells arrivedPieces to stop reading: it may be waiting on a host that stalls.
  const givenUp = new AbortController();
  const fail = (err: unknown) => {
    problem ??= err instanceof Error ? err : new Error(String(err));
    stop(problem);
    givenUp.abort(problem);
  };

  await rm(destination, { recursive: true, force: true });
  await mkdir(destination, { recursive: true, mode: 0o700 });
  const root = await realpath(destination);
  const ensureFolder = (path: string): Promise<void> => {
    let made = folders.get(path);
    if (!made) {
      made = mkdir(path, { recursive: true, mode: 0o755 }).then(() => undefined);
      folders.set(path, made);
    }
    return made;
  };
  const track = (write: Promise<void>) => {
    const settled = write.catch(fail).finally(() => writes.delete(settled));
    writes.add(settled);
  };

  const onEntry = (entry: tar.ReadEntry) => {
    if (problem) return entry.resume();
    try {
      stats.entries++;
      if (stats.entries > caps.maxEntries) throw new UnsafeTarball(`more than ${caps.maxEntries} entries`);
      unpacked += entry.size ?? 0;
      if (unpacked > caps.maxUnpackedBytes) throw new UnsafeTarball(`more than ${mib(caps.maxUnpackedBytes)} unpacked`);
      const path = checkoutPath(entry.path);
      if (META_TYPES.has(entry.type) || path === '') return entry.resume();
      const target = join(root, path);
      if (entry.type === 'Directory') {
        if (tree.addDir(path)) track(ensureFolder(target));
        return entry.resume();
      }
      if (entry.type === 'SymbolicLink') {
        tree.addSymlink(path, entry.linkpath ?? '');
        return entry.resume();
      }
      if (entry.type === 'Link') {
        const linked = checkoutPath(entry.linkpath ?? '');
        if (tree.addHardLink(path, linked)) hardLinks.push({ path, target: linked });
        else if (stats.unwritten.has(linked)) stats.unwritten.set(path, stats.unwritten.get(linked) ?? 0);
        return entry.resume();
      }
      if (!FILE_TYPES.has(entry.type)) throw new UnsafeTarball(`entry ${JSON.stringify(path)} is a ${entry.type}, not a file, folder or link`);
      const size = entry.size ?? 0;
      const rule = fluxReadRule(path, size);
      const keep = rule === 'always' || (rule === 'if-named' && writeIfNamed);
      tree.addFile(path, keep);
      if (!keep) {
        if (rule === 'if-named') stats.unwritten.set(path, size);
        return entry.resume();
      }
      stats.files++;
      stats.writtenBytes += size;
      if (stats.writtenBytes > caps.maxWrittenBytes) throw new UnsafeTarball(`more than ${mib(caps.maxWrittenBytes)} of manifests and kustomize inputs to write`);
      // 'wx' (O_EXCL): never open through a link; the tree already refused every other way there.
      if (size <= SMALL_FILE_BYTES) {
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        // Copied (concat always copies): a chunk is a view into zlib's whole step, which a kept view would hold on to.
        entry.on('end', () => track(ensureFolder(dirname(target)).then(() => writeSmallFile(target, Buffer.concat(chunks)))));
      } else {
        track(ensureFolder(dirname(target)).then(() => pipeline(entry, createWriteStream(target, { flags: 'wx', mode: 0o644 }))));
      }
    } catch (err) {
      fail(err);
      entry.resume();
    }
  };
  const parser = new tar.Parser({ strict: true, zstd: false, brotli: false, onReadEntry: onEntry });
  parser.on('error', fail);
  const parsed = new Promise<void>((resolve) => parser.on('end', resolve));

  try {
    await pipeline(() => arrivedPieces(input, COMPRESSED_READ_AHEAD_BYTES, givenUp.signal), createGunzip({ chunkSize: INFLATE_STEP_BYTES }), async (inflated: AsyncIterable<Buffer>) => {
      // Recorded before the pipeline unwinds: destroying the other streams rejects with a bare AbortError.
      try {
        for await (const chunk of inflated) {
          if (stats.inflatedBytes === 0 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
            // tar's parser would quietly inflate a second gzip layer, out of reach of the cap below.
            throw new UnsafeTarball('it is a compressed archive inside a compressed archive');
          }
          stats.inflatedBytes += chunk.length;
          if (exposedGc && stats.inflatedBytes % SCAVENGE_EVERY_BYTES < chunk.length) exposedGc({ type: 'minor' });
          if (stats.inflatedBytes > caps.maxInflatedBytes) throw new UnsafeTarball(`more than ${mib(caps.maxInflatedBytes)} once inflated`);
          throwIfFailed();
          while (writes.size >= MAX_WRITES_IN_FLIGHT) await Promise.race([...writes, stopped]);
          if (!parser.write(chunk)) await Promise.race([new Promise((resolve) => parser.once('drain', resolve)), stopped]);
          throwIfFailed();
        }
        parser.end();
        await Promise.race([parsed, stopped]);
      } catch (err) {
        fail(err);
        throw err;
      }
    });
    await Promise.all(writes);
    throwIfFailed();
    if (stats.entries === 0) throw new UnsafeTarball('the archive is empty');

    const links = tree.checkLinks();
    for (const { path, target } of hardLinks) {
      await ensureFolder(dirname(join(root, path)));
      await link(join(root, target), join(root, path));
    }
    for (const { path, target } of links) {
      await ensureFolder(dirname(join(root, path)));
      await symlink(target, join(root, path));
    }
    await verifyCheckout(root);
    return stats;
  } catch (err) {
    fail(err);
    const failure = problem ?? err;
    // Writes already started finish (or fail) before the folder goes, so none lands after the rm.
    await Promise.allSettled(writes);
    await rm(destination, { recursive: true, force: true });
    if (failure instanceof UnsafeTarball || !notAnArchive(failure)) throw failure;
    throw new UnsafeTarball(`it is not a valid gzip tar archive (${(failure as Error).message})`);
  }
}
