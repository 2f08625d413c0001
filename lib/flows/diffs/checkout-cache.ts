import { createHash } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { lstat, mkdir, rename, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareFiles, readFileAt, type GithubClient } from '../../adapters/github';
import { logger } from '../../core/log';
import { UnsafeTarball } from './errors';
import { forEachFetched, writeFetchedFile } from './fetched-files';
import { fluxReadRule } from './flux-inputs';
import { contentsAt, NamedInputsUnavailable, writeNamedInputs } from './named-inputs';
import { verifyCheckout } from './verify-checkout';

/** Changed files past which a new tarball is cheaper than one contents call each. */
export const MAX_INCREMENTAL_FILES = 100;

interface Entry {
  sha: string;
  folder: string;
  bytes: number;
  usedAt: number;
  /** What the tree held when it was kept: a tree that changed since (a link slipped in) is not trusted. */
  fingerprint: string;
  /** Files of `sha` left out until a kustomization names them (flux-inputs.ts `if-named`). */
  unwritten: Map<string, number>;
}

/** Why an entry cannot be brought to the new commit: the caller downloads the tarball instead. */
class NotReusable extends Error {}

/**
 * Every folder, file and link (with its target) under `root`, by name: what a link slipped in, or a file
 * turned into a folder or a link, changes. Names only (no stat per file): this runs on every reuse and
 * every keep. Read synchronously, as the declarations are (kustomization-file.ts): a handful of folders
 * through the promise API cost a trip to libuv's pool each, ~12 ms on a warm diff against ~1 ms in one go.
 */
function fingerprintOf(root: string): string {
  const lines: string[] = [];
  const folders = [''];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        lines.push(`d ${path}`);
        folders.push(path);
      } else if (entry.isSymbolicLink()) lines.push(`l ${path} ${readlinkSync(join(root, path))}`);
      else lines.push(`${entry.isFile() ? 'f' : '?'} ${path}`);
    }
  }
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/** A repository-relative path from GitHub's compare: refused if absolute, with `..`, or empty. */
function relativePath(path: string): string {
  const parts = path.split('/');
  if (path.startsWith('/') || path.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..')) throw new UnsafeTarball(`changed file ${JSON.stringify(path)} points outside the checkout`);
  return path;
}

/** Each folder from `root` down to `path`'s parent must be a real folder or missing: never a link. */
async function assertNoLinkOnTheWay(root: string, path: string): Promise<void> {
  const parts = path.split('/').slice(0, -1);
  for (let i = 1; i <= parts.length; i++) {
    const stats = await lstat(join(root, ...parts.slice(0, i))).catch(() => undefined);
    if (!stats) return;
    if (!stats.isDirectory()) throw new NotReusable(`${parts.slice(0, i).join('/')} is not a folder in the kept checkout`);
  }
}

/**
 * Checkouts kept in /tmp between warm invocations (issue #20), one per repository, bounded by size with the
 * least recently used dropped first. A kept checkout is brought to a new commit with the compare API's
 * changed files (one contents call each) when there are few enough of them; otherwise, or when anything
 * is off, it is dropped and the caller downloads the tarball. The index lives in this process's memory:
 * a folder under `root` that this process did not keep is never used.
 */
export class CheckoutCache {
  private readonly entries = new Map<string, Entry>();
  private clock = 0;
  /** Folders another process left under `root` are not in this index and never will be: removed on the first keep. */
  private cleared = false;

  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
    private readonly maxFiles = MAX_INCREMENTAL_FILES,
  ) {}

  /** Total bytes of the checkouts kept. */
  get bytes(): number {
    return [...this.entries.values()].reduce((sum, e) => sum + e.bytes, 0);
  }

  /** The commits kept, by repository. */
  kept(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([repository, e]) => [repository, e.sha]));
  }

  /**
   * Moves a finished checkout of `sha` into the cache (a rename, same disk), replacing the repository's
   * previous one. `bytes`: what the checkout holds on disk, as its writer counted it; `unwritten`: the
   * files of `sha` it left out that a kustomization could name.
   */
  async keep(repository: string, sha: string, folder: string, bytes: number, unwritten: ReadonlyMap<string, number> = new Map()): Promise<void> {
    const key = repository.toLowerCase();
    await this.drop(key);
    const fingerprint = fingerprintOf(folder);
    if (bytes > this.maxBytes) return void (await rm(folder, { recursive: true, force: true }));
    if (!this.cleared) {
      await rm(this.root, { recursive: true, force: true });
      this.cleared = true;
    }
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const kept = join(this.root, `${createHash('sha256').update(key).digest('hex').slice(0, 16)}-${sha}`);
    await rm(kept, { recursive: true, force: true });
    await rename(folder, kept);
    this.entries.set(key, { sha, folder: kept, bytes, usedAt: ++this.clock, fingerprint, unwritten: new Map(unwritten) });
    for (const [other, entry] of [...this.entries].sort((a, b) => a[1].usedAt - b[1].usedAt)) {
      if (this.bytes <= this.maxBytes) break;
      if (other !== key) await this.drop(other, entry);
    }
  }

  /**
   * Moves the repository's kept checkout to `folder` and brings it to `sha`, or answers undefined (the
   * entry is then gone) when the tarball is the way: nothing kept, the tree was touched since, too many
   * changes, or a change that is not a plain file. The entry leaves the index while in use.
   */
  async bringTo(client: GithubClient, { repository, sha, folder }: { repository: string; sha: string; folder: string }): Promise<{ changed: number; written: number; bytes: number; unwritten: Map<string, number> } | undefined> {
    const key = repository.toLowerCase();
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    try {
      const [owner = '', repo = ''] = repository.split('/');
      // Asked first, and the tree checked while GitHub answers: neither needs the other.
      const comparing = entry.sha === sha ? Promise.resolve([]) : this.changedPaths(client, { owner, repo, from: entry.sha, to: sha });
      comparing.catch(() => undefined);
      if (fingerprintOf(entry.folder) !== entry.fingerprint) throw new NotReusable('the kept checkout changed on disk since it was kept');
      const paths = await comparing;
      await rm(folder, { recursive: true, force: true });
      await rename(entry.folder, folder);
      let written = 0;
      let bytes = entry.bytes;
      const { unwritten } = entry;
      await forEachFetched(paths, async (path) => {
        const file = await readFileAt(client, { owner, repo, path, ref: sha });
        if (file.kind === 'other') throw new NotReusable(`${path} is ${file.what} at ${sha.slice(0, 7)}`);
        await assertNoLinkOnTheWay(folder, path);
        const target = join(folder, path);
        const existing = await lstat(target).catch(() => undefined);
        if (existing?.isDirectory()) throw new NotReusable(`${path} was a folder`);
        await rm(target, { force: true });
        unwritten.delete(path);
        if (file.kind === 'absent') {
          await removeEmptyParents(folder, path);
          return;
        }
        // Left out as a tarball leaves it out (flux-inputs.ts); an `if-named` file is fetched below if a kustomization names it.
        const rule = fluxReadRule(path, file.bytes.length);
        if (rule === 'if-named') unwritten.set(path, file.bytes.length);
        if (rule !== 'always') return;
        // Never through a link ('wx'), even one that appeared since the check above.
        await writeFetchedFile(target, file.bytes);
        written++;
        // An upper bound: what a replaced file held is not subtracted (no stat per file).
        bytes += file.bytes.length;
      });
      await verifyCheckout(folder);
      // A changed kustomization may now name a file left out so far: fetched at the new commit.
      const named = await writeNamedInputs(folder, unwritten, contentsAt(client, { owner, repo, ref: sha }));
      written += named.files;
      bytes += named.bytes;
      logger.info('kept checkout brought to the new commit', { repository, from: entry.sha, to: sha, changed: paths.length, written });
      return { changed: paths.length, written, bytes, unwritten };
    } catch (err) {
      logger.info('kept checkout not reused; downloading the tarball', { repository, reason: (err as Error).message });
      await rm(entry.folder, { recursive: true, force: true });
      await rm(folder, { recursive: true, force: true });
      if (err instanceof NotReusable || err instanceof UnsafeTarball || err instanceof NamedInputsUnavailable) return undefined;
      throw err;
    }
  }

  /** Every path that differs between `from` and `to`: both sides of the merge base unless `to` contains `from`. */
  private async changedPaths(client: GithubClient, { owner, repo, from, to }: { owner: string; repo: string; from: string; to: string }): Promise<string[]> {
    const forward = await compareFiles(client, { owner, repo, base: from, head: to });
    const sides = [forward];
    if (forward.status !== 'ahead' && forward.status !== 'identical') sides.push(await compareFiles(client, { owner, repo, base: to, head: from }));
    if (sides.some((s) => s.truncated)) throw new NotReusable('the comparison lists too many files');
    const paths = [...new Set(sides.flatMap((s) => s.paths))];
    if (paths.length > this.maxFiles) throw new NotReusable(`${paths.length} changed files (more than ${this.maxFiles})`);
    return paths.map(relativePath);
  }

  private async drop(key: string, entry = this.entries.get(key)): Promise<void> {
    this.entries.delete(key);
    if (entry) await rm(entry.folder, { recursive: true, force: true });
  }
}

/** A deleted file's now-empty folders go too: git has no empty folders, and flux must not find one. */
async function removeEmptyParents(root: string, path: string): Promise<void> {
  const parts = path.split('/').slice(0, -1);
  for (let i = parts.length; i > 0; i--) {
    const removed = await rmdir(join(root, ...parts.slice(0, i))).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}

/** One cache per folder for the life of the container: a warm Lambda keeps its module state and its /tmp. */
const caches = new Map<string, CheckoutCache>();
export function keptCheckouts(root: string, maxBytes: number): CheckoutCache {
  let cache = caches.get(root);
  if (!cache) {
    cache = new CheckoutCache(root, maxBytes);
    caches.set(root, cache);
  }
  return cache;
}
