import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { MAX_BLOB_BYTES, readBlob, readFileAt, type GithubClient, type TreeFile } from '../../adapters/github';
import { isUnder, referencedPath, references } from './coverage';
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
/** The contents API inlines a file up to 1 MB; a larger one comes from the blobs API, by its sha in the tree. */
const MAX_INLINED_BYTES = 1_000_000;
/** A blob arrives whole (MAX_BLOB_BYTES): past this many bytes of them in all, the tarball, which streams, keeps the worker's memory flat. */
const MAX_BLOB_TOTAL_BYTES = 16 * 2 ** 20;

/**
 * kustomization fields whose files may name further files, or that run what cannot be read ahead: a
 * transformer's configuration (`PatchTransformer`'s `path`), a Helm chart and its values.
 */
const OPEN_ENDED_FIELDS = ['transformers', 'generators', 'validators', 'helmCharts', 'helmGlobals', 'helmChartInflationGenerator'];
/**
 * How a Flux Kustomization's apiVersion, or a patch that sets one, is spelled in any file: `--recursive`
 * diffs such a child from its own spec.path. Owner labels and annotations (`kustomize.toolkit.fluxcd.io/name`,
 * `/prune`, `/ssa`) do not match.
 */
const FLUX_KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v';

/** Why this commit is checked out from its tarball instead: said in the log, nothing is wrong. */
class UseTheTarball extends Error {}

export type ScopedCheckout =
  | { kind: 'written'; files: number; bytes: number; treeFiles: number; unwritten: Map<string, number> }
  | { kind: 'tarball'; reason: string };

/** A path as git stores it, relative and plain: anything else is left to the tarball's checks. */
const isPlainPath = (path: string) => !path.startsWith('/') && !path.includes('\0') && path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');

type Tree = { files: TreeFile[]; truncated: boolean };

/** The commit's files by path, their sizes and blob shas, when its tree allows a checkout file by file. */
export type CommitFiles = { sizes: Map<string, number>; shas: Map<string, string> };

/** The commit's files from GitHub's tree, or why its tarball is the way (scopeOrTarball). */
function filesOf(tree: Tree, minRepositoryBytes: number): CommitFiles | { reason: string } {
  if (tree.truncated) return { reason: 'GitHub lists the tree of this commit only in part' };
  const link = tree.files.find((file) => file.link);
  if (link) return { reason: `${link.path} is a symbolic link: where links lead is checked on the tarball` };
  const odd = tree.files.find((file) => !isPlainPath(file.path));
  if (odd) return { reason: `${JSON.stringify(odd.path)} is not a plain path` };
  const sizes = new Map(tree.files.map((file) => [file.path, file.size]));
  const repositoryBytes = [...sizes.values()].reduce((sum, size) => sum + size, 0);
  if (repositoryBytes < minRepositoryBytes) return { reason: `the repository holds ${(repositoryBytes / 2 ** 20).toFixed(1)} MB: its tarball costs less than fetching files one by one` };
  return { sizes, shas: new Map(tree.files.map((file) => [file.path, file.sha])) };
}

/**
 * Whether the commit can be checked out file by file: both the tree listing (asked as the checkout starts)
 * and the cluster's scope must allow it. Answers as soon as either says no, so that a small repository's
 * tarball, or one whose Kustomization has no known parent, starts without waiting for the other.
 */
export function scopeOrTarball(listing: Promise<Tree>, scope: Promise<CheckoutScope | undefined>, minRepositoryBytes: number): Promise<{ files: CommitFiles; scope: CheckoutScope } | { reason: string }> {
  const fromTree = listing.then(
    (tree) => filesOf(tree, minRepositoryBytes),
    (err: unknown) => ({ reason: `GitHub did not list the tree of this commit (${(err as Error).message})` }),
  );
  const fromCluster = scope.then(
    (known) => known ?? { reason: 'the cluster does not say where the Kustomization is declared (no parent Kustomization of the same source)' },
    (err: unknown) => ({ reason: `the cluster could not be read (${(err as Error).message})` }),
  );
  return new Promise((resolve) => {
    let files: CommitFiles | undefined;
    let known: CheckoutScope | undefined;
    void fromTree.then((answer) => {
      if ('reason' in answer) return resolve(answer);
      files = answer;
      if (known) resolve({ files, scope: known });
    });
    void fromCluster.then((answer) => {
      if ('reason' in answer) return resolve(answer);
      known = answer;
      if (files) resolve({ files, scope: known });
    });
  });
}

/**
 * Checks out only what the diffed Kustomization's build reads, file by file through the contents API
 * (issue #20): a large repository costs its reach, not its tarball. From the commit's files (its tree):
 * - the YAML under `declarationsWithin`, where run-diff looks for the PR's declaration of the Kustomization,
 *   and `.sourceignore`;
 * - every file under the declared spec.path (or the live one) that a tarball checkout writes (flux-inputs.ts);
 * - and, following each kustomization file found there, what it names: folders (`../base`, components)
 *   whole, files (patches, generator inputs, CRDs) one by one, round after round.
 * - a Flux Kustomization among those files is a child `--recursive` diffs from its own spec.path: that path
 *   is read in turn, as the diffed one, when the built object will say what the file says (childrenIn).
 * Answers `tarball` with the reason when the reach cannot be known for certain or costs more than the
 * tarball: more than MAX_SCOPED_FILES files, a kustomization field that reads beyond its own list, a
 * reference out of the repository, a kustomization file that does not parse, or a child whose spec.path
 * the build may change (a substitution, a patch that may reach a Flux Kustomization). The folder is then
 * removed. Every other file of the commit is in `unwritten` with its size: it exists, unread.
 */
export async function checkOutScope(client: GithubClient, { owner, repo, sha, folder }: { owner: string; repo: string; sha: string; folder: string }, files: CommitFiles, scope: CheckoutScope): Promise<ScopedCheckout> {
  try {
    return { kind: 'written', ...(await fetchReach(client, { owner, repo, sha, folder }, files, scope)) };
  } catch (err) {
    await rm(folder, { recursive: true, force: true });
    if (err instanceof UseTheTarball) return { kind: 'tarball', reason: err.message };
    throw err;
  }
}

async function fetchReach(client: GithubClient, { owner, repo, sha, folder }: { owner: string; repo: string; sha: string; folder: string }, { sizes, shas }: CommitFiles, scope: CheckoutScope) {
  const written = new Set<string>();
  let bytes = 0;
  let blobBytes = 0;
  const fetch = async (paths: string[]): Promise<void> => {
    const fresh = [...new Set(paths)].filter((path) => !written.has(path));
    if (written.size + fresh.length > MAX_SCOPED_FILES) throw new UseTheTarball(`the diff reads more than ${MAX_SCOPED_FILES} files`);
    for (const path of fresh.filter((name) => (sizes.get(name) ?? 0) > MAX_INLINED_BYTES)) {
      const size = sizes.get(path) ?? 0;
      if (size > MAX_BLOB_BYTES) throw new UseTheTarball(`${path} holds ${(size / 2 ** 20).toFixed(1)} MB, which the tarball streams`);
      blobBytes += size;
      if (blobBytes > MAX_BLOB_TOTAL_BYTES) throw new UseTheTarball(`the diff reads more than ${MAX_BLOB_TOTAL_BYTES / 2 ** 20} MB of files over 1 MB, which the tarball streams`);
    }
    fresh.forEach((path) => written.add(path));
    await forEachFetched(fresh, async (path) => {
      const blob = (sizes.get(path) ?? 0) > MAX_INLINED_BYTES ? shas.get(path) : undefined;
      const file = blob ? await readBlob(client, { owner, repo, sha: blob }) : await readFileAt(client, { owner, repo, path, ref: sha });
      if (file.kind !== 'file') throw new UseTheTarball(`${path} is ${file.kind === 'other' ? file.what : 'absent'} through GitHub's API`);
      await writeFetchedFile(join(folder, path), file.bytes);
      bytes += file.bytes.length;
    });
  };
  const filesUnder = (dir: string) => [...sizes.keys()].filter((path) => isUnder(path, dir));
  // What a tarball checkout writes of a folder reached: YAML, kustomize inputs and small files (flux-inputs.ts).
  const writtenOf = (paths: string[]) => paths.filter((path) => fluxReadRule(path, sizes.get(path) ?? 0) === 'always');

  // Round one: where the declaration may be (as findKustomizationFile reads), the live path, .sourceignore.
  const within = normalisedPath(scope.declarationsWithin);
  const declarations = filesUnder(within).filter((path) => /\.ya?ml$/.test(path) && (sizes.get(path) ?? 0) <= MAX_DECLARATION_BYTES);
  const livePath = normalisedPath(scope.livePath);
  await fetch([...declarations, ...writtenOf(filesUnder(livePath)), ...(sizes.has('.sourceignore') ? ['.sourceignore'] : [])]);
  const search = findKustomizationFile(folder, scope.target, { within, livePath: scope.livePath });

  // Then the build's reach from the path it diffs, a round of contents calls per level of references.
  const parsed = new Set<string>();
  const seenFolders = new Set<string>();
  const diffedPath = search.found?.path ?? livePath;
  // The folder exists as in a tarball checkout even when nothing in it is written (run-diff refuses a path that is gone).
  if (filesUnder(diffedPath).length > 0) await mkdir(join(folder, diffedPath), { recursive: true, mode: 0o755 });
  const patchSources: PatchSource[] = [];
  let children = 0;
  let folders = [diffedPath];
  let named: string[] = [];
  while (folders.length > 0 || named.length > 0) {
    const fresh = folders.filter((dir) => !seenFolders.has(dir));
    fresh.forEach((dir) => seenFolders.add(dir));
    const round = [...writtenOf(fresh.flatMap(filesUnder)), ...named];
    folders = [];
    named = [];
    await fetch(round);
    // Each file of the round read once: a kustomization file for what it names, any file for the children it declares.
    for (const path of round) {
      const bytes = readFileSync(join(folder, path));
      if (KUSTOMIZATION_FILES.includes(posix.basename(path)) && !parsed.has(path)) {
        const kustomization = parseKustomization(path, bytes);
        parsed.add(path);
        patchSources.push({ file: path, patches: kustomizePatches(kustomization) });
        for (const target of namedBy(path, kustomization)) {
          if (sizes.has(target)) named.push(target);
          else if ([...sizes.keys()].some((file) => isUnder(file, target))) folders.push(target);
          // Named but absent: flux reports it, as it would from the tarball.
        }
      }
      if (!bytes.includes(FLUX_KUSTOMIZATION_API)) continue;
      for (const child of childrenIn(path, bytes)) {
        children++;
        patchSources.push({ file: path, patches: child.patches });
        folders.push(child.path);
      }
    }
  }
  if (children > 0) {
    // A patch applied on the way to a child may rewrite its spec.path: the diffed Kustomization's own, or a kustomization file's.
    if (!search.found) throw new UseTheTarball('the Kustomization has children, and its declaration (whose patches reach them) is not in this commit');
    patchSources.push({ file: search.found.repositoryPath, patches: search.found.patches.map(asPatch) });
    for (const { file, patches } of patchSources) {
      const risky = patches.find((patch) => mayPatchKustomizations(patch, (path) => checkoutText(folder, posix.join(posix.dirname(file), path))));
      if (risky) throw new UseTheTarball(`${file} has a patch that may change a child Kustomization's spec.path`);
    }
  }
  const unwritten = new Map([...sizes].filter(([path]) => !written.has(path)));
  return { files: written.size, bytes, treeFiles: sizes.size, unwritten };
}

/** A kustomization file of the checkout, parsed; throws UseTheTarball when it does not parse or reads beyond its own list. */
function parseKustomization(file: string, bytes: Buffer): unknown {
  let kustomization: unknown;
  try {
    kustomization = parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UseTheTarball(`${file} does not parse (${(err as Error).message.split('\n')[0] ?? ''})`);
  }
  if (kustomization && typeof kustomization === 'object') {
    const field = OPEN_ENDED_FIELDS.find((name) => (kustomization as Record<string, unknown>)[name] !== undefined);
    if (field) throw new UseTheTarball(`${file} uses ${field}, whose inputs are known only to kustomize`);
  }
  return kustomization;
}

/** The repository paths a kustomization file names, normalised; throws UseTheTarball when they cannot all be known. */
function namedBy(file: string, kustomization: unknown): string[] {
  return references(kustomization).map((reference) => {
    const target = referencedPath(posix.dirname(file), reference);
    if (target === undefined) throw new UseTheTarball(`${file} names ${reference}, outside the repository`);
    return target;
  });
}

/** A patch as kustomize and Flux write it: a target selector, and the patch inline or in a file. */
interface Patch {
  target?: unknown;
  patch?: unknown;
  path?: unknown;
}
type PatchSource = { file: string; patches: Patch[] };

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asPatch = (value: unknown): Patch => (typeof value === 'string' ? { patch: value } : value && typeof value === 'object' ? value : {});

/** Every patch of a kustomization file; `replacements`, which may set any field of any object, counts as one that targets everything. */
function kustomizePatches(kustomization: unknown): Patch[] {
  const k = (kustomization && typeof kustomization === 'object' ? kustomization : {}) as Record<string, unknown>;
  // patchesStrategicMerge entries are files, or inline YAML: either way the patch names its kind.
  const strategic = asList(k.patchesStrategicMerge).map((entry) => (typeof entry === 'string' && !entry.includes('\n') ? { path: entry } : asPatch(entry)));
  const replacements = k.replacements === undefined ? [] : [{ target: {} }];
  return [...asList(k.patches).map(asPatch), ...asList(k.patchesJson6902).map(asPatch), ...strategic, ...replacements];
}

/**
 * Whether a patch may reach a Flux Kustomization: a target whose kind may be Kustomization (kustomize
 * matches it as a regular expression; none means every kind), or, without a target, a patch that names it.
 * A patch that cannot be read counts as one that may.
 */
function mayPatchKustomizations(patch: Patch, readPatchFile: (path: string) => string | undefined): boolean {
  if (patch.target && typeof patch.target === 'object') {
    const kind = (patch.target as { kind?: unknown }).kind;
    if (typeof kind !== 'string') return true;
    try {
      return new RegExp(`^(?:${kind})$`).test('Kustomization');
    } catch {
      return true;
    }
  }
  const text = typeof patch.patch === 'string' ? patch.patch : typeof patch.path === 'string' ? readPatchFile(patch.path) : undefined;
  return text === undefined || text.includes('Kustomization');
}

/** A file of the checkout as text, undefined when it was not fetched or is not there. */
function checkoutText(root: string, path: string): string | undefined {
  try {
    return readFileSync(join(root, posix.normalize(path)), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The Flux Kustomizations a file of the reach declares, which `--recursive` diffs from their own spec.path:
 * each path as it stands, and the patches the child applies to its own children. Throws UseTheTarball
 * when the file spells a Flux Kustomization's apiVersion anywhere but in such a document (a patch that makes
 * one, a document that does not parse), or when a child's path may be substituted (`${var}`).
 */
function childrenIn(file: string, bytes: Buffer): { path: string; patches: Patch[] }[] {
  if (!/\.ya?ml$/.test(file)) throw new UseTheTarball(`${file} spells a Flux Kustomization's apiVersion`);
  const children: { path: string; patches: Patch[] }[] = [];
  for (const document of parseAllDocuments(bytes.toString('utf8'))) {
    if (document.errors.length > 0) throw new UseTheTarball(`${file} does not parse, and spells a Flux Kustomization's apiVersion`);
    const object = document.toJS() as { apiVersion?: unknown; kind?: unknown; spec?: { path?: unknown; patches?: unknown } } | null;
    if (!JSON.stringify(object ?? null).includes(FLUX_KUSTOMIZATION_API)) continue;
    const isFluxKustomization = object?.kind === 'Kustomization' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(FLUX_KUSTOMIZATION_API);
    if (!isFluxKustomization) throw new UseTheTarball(`${file} spells a Flux Kustomization's apiVersion outside a Kustomization document`);
    const path = object.spec?.path ?? '';
    if (typeof path !== 'string' || path.includes('$')) throw new UseTheTarball(`${file} declares a Kustomization whose spec.path may be substituted`);
    children.push({ path: normalisedPath(path), patches: asList(object.spec?.patches).map(asPatch) });
  }
  return children;
}
