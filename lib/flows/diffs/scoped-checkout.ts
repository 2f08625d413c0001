import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { readFileAt, type GithubClient, type TreeFile } from '../../adapters/github';
import { references } from './coverage';
import { forEachFetched, writeFetchedFile } from './fetched-files';
import { fluxReadRule, KUSTOMIZATION_FILES } from './flux-inputs';
import { findKustomizationFile, MAX_DECLARATION_BYTES, normalisedPath } from './kustomization-file';

/** What the cluster says of the diffed Kustomization before its commit is checked out (run-diff.ts). */
export interface CheckoutScope {
  target: { namespace: string; name: string };
  /** Its live spec.path. */
  livePath: string;
  /** The path of the Kustomization of the same source that applied it: its declaration sits under it. */
  declarationsWithin: string;
}

/** Files past which the tarball is cheaper than one contents call each (as for a kept checkout's update). */
export const MAX_SCOPED_FILES = 100;

/**
 * kustomization fields whose files may name further files, or that run what cannot be read ahead: a
 * transformer's configuration (`PatchTransformer`'s `path`), a Helm chart and its values.
 */
const OPEN_ENDED_FIELDS = ['transformers', 'generators', 'validators', 'helmCharts', 'helmGlobals', 'helmChartInflationGenerator'];
/**
 * How a Flux Kustomization's apiVersion, or a patch that sets one, is spelled in any file: `--recursive`
 * diffs such a child from its own spec.path, which only a built object says. Owner labels and
 * annotations (`kustomize.toolkit.fluxcd.io/name`, `/prune`, `/ssa`) do not match.
 */
const FLUX_KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v';

/** Why this commit is checked out from its tarball instead: said in the log, nothing is wrong. */
class UseTheTarball extends Error {}

export type ScopedCheckout =
  | { kind: 'written'; files: number; bytes: number; treeFiles: number; unwritten: Map<string, number> }
  | { kind: 'tarball'; reason: string };

/** A path as git stores it, relative and plain: anything else is left to the tarball's checks. */
const isPlainPath = (path: string) => !path.startsWith('/') && !path.includes('\0') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');

/**
 * Checks out only what the diffed Kustomization's build reads, file by file through the contents API
 * (issue #20): a large repository costs its reach, not its tarball. From one tree listing of the commit:
 * - the YAML under `declarationsWithin`, where run-diff looks for the PR's declaration of the Kustomization,
 *   and `.sourceignore`;
 * - every file under the declared spec.path (or the live one) that a tarball checkout writes (flux-inputs.ts);
 * - and, following each kustomization file found there, what it names: folders (`../base`, components)
 *   whole, files (patches, generator inputs, CRDs) one by one, round after round.
 * Answers `tarball` with the reason when the reach cannot be known for certain or costs more than the
 * tarball: a small repository, a tree GitHub lists in part, symbolic links, more than MAX_SCOPED_FILES
 * files, a kustomization field that reads beyond its own list, a reference out of the repository, a
 * kustomization file that does not parse, or a Flux Kustomization in the reach (`--recursive` diffs its
 * spec.path, known only from the built object). The folder is then removed. Every other file of the
 * commit is in `unwritten` with its size: it exists, unread.
 */
export async function checkOutScope(
  client: GithubClient,
  { owner, repo, sha, folder }: { owner: string; repo: string; sha: string; folder: string },
  /** GitHub's listing of the commit's tree (listTree), asked while the cluster was read. */
  listing: Promise<{ files: TreeFile[]; truncated: boolean }>,
  scope: CheckoutScope,
  /** Smaller repositories are checked out from their tarball (FLUXLINE_SCOPED_CHECKOUT_MIN_MB). */
  minRepositoryBytes: number,
): Promise<ScopedCheckout> {
  try {
    return { kind: 'written', ...(await fetchReach(client, { owner, repo, sha, folder }, listing, scope, minRepositoryBytes)) };
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    if (err instanceof UseTheTarball) return { kind: 'tarball', reason: err.message };
    throw err;
  }
}

async function fetchReach(
  client: GithubClient,
  { owner, repo, sha, folder }: { owner: string; repo: string; sha: string; folder: string },
  listing: Promise<{ files: TreeFile[]; truncated: boolean }>,
  scope: CheckoutScope,
  minRepositoryBytes: number,
) {
  const tree = await listing.catch((err: unknown) => {
    throw new UseTheTarball(`GitHub did not list the tree of this commit (${(err as Error).message})`);
  });
  if (tree.truncated) throw new UseTheTarball('GitHub lists the tree of this commit only in part');
  const link = tree.files.find((file) => file.link);
  if (link) throw new UseTheTarball(`${link.path} is a symbolic link: where links lead is checked on the tarball`);
  const sizes = new Map<string, number>();
  for (const file of tree.files) {
    if (!isPlainPath(file.path)) throw new UseTheTarball(`${JSON.stringify(file.path)} is not a plain path`);
    sizes.set(file.path, file.size);
  }
  const repositoryBytes = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  if (repositoryBytes < minRepositoryBytes) throw new UseTheTarball(`the repository holds ${(repositoryBytes / 2 ** 20).toFixed(1)} MB: its tarball costs less than fetching files one by one`);

  const written = new Set<string>();
  let bytes = 0;
  const fetch = async (paths: string[]): Promise<void> => {
    const fresh = [...new Set(paths)].filter((path) => !written.has(path));
    if (written.size + fresh.length > MAX_SCOPED_FILES) throw new UseTheTarball(`the diff reads more than ${MAX_SCOPED_FILES} files`);
    fresh.forEach((path) => written.add(path));
    await forEachFetched(fresh, async (path) => {
      const file = await readFileAt(client, { owner, repo, path, ref: sha });
      if (file.kind !== 'file') throw new UseTheTarball(`${path} is ${file.kind === 'other' ? file.what : 'absent'} through the contents API`);
      await writeFetchedFile(join(folder, path), file.bytes);
      bytes += file.bytes.length;
    });
  };
  const filesUnder = (dir: string) => (dir === '.' ? [...sizes.keys()] : [...sizes.keys()].filter((path) => path.startsWith(`${dir}/`)));
  // What a tarball checkout writes of a folder reached: YAML, kustomize inputs and small files (flux-inputs.ts).
  const writtenOf = (paths: string[]) => paths.filter((path) => fluxReadRule(path, sizes.get(path) ?? 0) === 'always');

  // Round one: where the declaration may be (as findKustomizationFile reads), the live path, .sourceignore.
  const within = normalisedPath(scope.declarationsWithin);
  const declarations = filesUnder(within).filter((path) => /\.ya?ml$/.test(path) && (sizes.get(path) ?? 0) <= MAX_DECLARATION_BYTES);
  const livePath = normalisedPath(scope.livePath);
  await fetch([...declarations, ...writtenOf(filesUnder(livePath)), ...(sizes.has('.sourceignore') ? ['.sourceignore'] : [])]);
  const search = findKustomizationFile(folder, scope.target, { within, livePath: scope.livePath });

  // Then the build's reach from the path it diffs, a round of contents calls per level of references.
  const reach = new Set<string>();
  const parsed = new Set<string>();
  const seenFolders = new Set<string>();
  const diffedPath = search.found?.path ?? livePath;
  // The folder exists as in a tarball checkout even when nothing in it is written (run-diff refuses a path that is gone).
  if (filesUnder(diffedPath).length > 0) await mkdir(join(folder, diffedPath), { recursive: true, mode: 0o755 });
  let folders = [diffedPath];
  let named: string[] = [];
  while (folders.length > 0 || named.length > 0) {
    const fresh = folders.filter((dir) => !seenFolders.has(dir));
    fresh.forEach((dir) => seenFolders.add(dir));
    const round = [...writtenOf(fresh.flatMap(filesUnder)), ...named];
    folders = [];
    named = [];
    await fetch(round);
    for (const path of round) reach.add(path);
    for (const file of round.filter((path) => KUSTOMIZATION_FILES.includes(posix.basename(path)) && !parsed.has(path))) {
      parsed.add(file);
      for (const target of namedBy(folder, file)) {
        if (sizes.has(target)) named.push(target);
        else if (target === '.' || [...sizes.keys()].some((path) => path.startsWith(`${target}/`))) folders.push(target);
        // Named but absent: flux reports it, as it would from the tarball.
      }
    }
  }
  for (const path of reach) {
    if (readFileSync(join(folder, path)).includes(FLUX_KUSTOMIZATION_API)) throw new UseTheTarball(`${path} may hold a Flux Kustomization, which --recursive diffs from its own path`);
  }
  const unwritten = new Map([...sizes].filter(([path]) => !written.has(path)));
  return { files: written.size, bytes, treeFiles: sizes.size, unwritten };
}

/** The repository paths a kustomization file names, normalised; throws UseTheTarball when they cannot all be known. */
function namedBy(root: string, file: string): string[] {
  let kustomization: unknown;
  try {
    kustomization = parse(readFileSync(join(root, file), 'utf8'));
  } catch (err) {
    throw new UseTheTarball(`${file} does not parse (${(err as Error).message.split('\n')[0] ?? ''})`);
  }
  if (kustomization && typeof kustomization === 'object') {
    const field = OPEN_ENDED_FIELDS.find((name) => (kustomization as Record<string, unknown>)[name] !== undefined);
    if (field) throw new UseTheTarball(`${file} uses ${field}, whose inputs are known only to kustomize`);
  }
  return references(kustomization).map((reference) => {
    const target = posix.normalize(posix.join(posix.dirname(file), reference));
    if (posix.isAbsolute(reference) || target === '..' || target.startsWith('../')) throw new UseTheTarball(`${file} names ${reference}, outside the repository`);
    return target.replace(/\/+$/, '');
  });
}
