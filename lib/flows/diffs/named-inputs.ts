import { lstatSync, readdirSync, readFileSync, readlinkSync, type Dirent } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { readFileAt, type GithubClient } from '../../adapters/github';
import { references } from './coverage';
import { forEachFetched, writeFetchedFile } from './fetched-files';
import { KUSTOMIZATION_FILES } from './flux-inputs';

/** Linux's own limit on links followed in one lookup (ELOOP). */
const MAX_LINK_HOPS = 40;
/** Named inputs past which fetching them one by one costs more than a tarball that writes them all. */
export const MAX_NAMED_FETCHES = 100;

/** The named inputs cannot all be fetched: the caller checks the commit out again with every input written. */
export class NamedInputsUnavailable extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`the files the kustomizations name could not be fetched one by one: ${reason}`, options);
    this.name = 'NamedInputsUnavailable';
  }
}

/**
 * Where a repository-relative path leads inside the checkout, following its links as the kernel would
 * (a link's target is relative to the link's folder); the last part need not exist. undefined when the
 * walk leaves the checkout or goes round a loop. Links were verified when the checkout was written.
 */
export function resolveInCheckout(root: string, path: string): string | undefined {
  const rest = path.split('/');
  const at: string[] = [];
  let hops = 0;
  while (rest.length > 0) {
    const part = rest.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return undefined;
      at.pop();
      continue;
    }
    const here = join(root, ...at, part);
    const stats = (() => {
      try {
        return lstatSync(here);
      } catch {
        return undefined;
      }
    })();
    if (stats?.isSymbolicLink()) {
      if (++hops > MAX_LINK_HOPS) return undefined;
      const target = readlinkSync(here);
      if (target.startsWith('/')) return undefined;
      rest.unshift(...target.split('/'));
      continue;
    }
    at.push(part);
  }
  return at.join('/');
}

/**
 * Every kustomization file in the checkout (kustomization.yaml, kustomization.yml, Kustomization) by the
 * real folder it sits in: kustomize resolves a kustomization's references from its folder's real path.
 * Read synchronously, as kustomization-file.ts reads the declarations: a few small files, nothing else runs.
 */
function kustomizationFiles(root: string): string[] {
  const found: string[] = [];
  const folders = [''];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, folder), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) folders.push(path);
      else if (KUSTOMIZATION_FILES.includes(entry.name) && (entry.isFile() || entry.isSymbolicLink())) found.push(path);
    }
  }
  return found;
}

/**
 * The files of `unwritten` that some kustomization file in the checkout names, by their real
 * repository-relative path. Every kustomization file counts, not only those the diffed Kustomization
 * reaches: `--recursive` builds other paths from the same checkout, and a PR may move spec.path.
 */
export function namedInputs(root: string, unwritten: ReadonlyMap<string, number>): string[] {
  if (unwritten.size === 0) return [];
  const leftOutNames = new Set([...unwritten.keys()].map((path) => posix.basename(path)));
  const named = new Set<string>();
  for (const file of kustomizationFiles(root)) {
    let text: string;
    let parsed: unknown;
    try {
      text = readFileSync(join(root, file), 'utf8');
      // Decoded only if a word of it ends in the name of a file left out: a fleet has hundreds of
      // kustomization files, and most name only manifests. A backslash may spell a name in escapes: decoded.
      if (!text.includes('\\') && !text.split(/[\s"'=,[\]{}]+/).some((word) => leftOutNames.has(posix.basename(word)))) continue;
      parsed = parse(text);
    } catch {
      continue; // flux reports the broken file; it names nothing that can be known
    }
    const folder = posix.dirname(file);
    for (const reference of references(parsed)) {
      if (posix.isAbsolute(reference)) continue;
      const resolved = resolveInCheckout(root, posix.join(folder, reference));
      if (resolved !== undefined && unwritten.has(resolved)) named.add(resolved);
    }
  }
  return [...named];
}

/** What writeNamedInputs fetches with: GitHub's contents API at the checked-out commit; undefined for what it will not serve as a plain file. */
export function contentsAt(client: GithubClient, { owner, repo, ref }: { owner: string; repo: string; ref: string }): (path: string) => Promise<Buffer | undefined> {
  return async (path) => {
    const file = await readFileAt(client, { owner, repo, path, ref });
    return file.kind === 'file' ? file.bytes : undefined;
  };
}

/**
 * Writes the left-out files that a kustomization names (flux-inputs.ts `if-named`), fetched one by one at
 * the checked-out commit, and takes them out of `unwritten`. Throws NamedInputsUnavailable when there are
 * too many or one cannot be fetched as a plain file. Answers the count and bytes written.
 */
export async function writeNamedInputs(root: string, unwritten: Map<string, number>, fetch: (path: string) => Promise<Buffer | undefined>): Promise<{ files: number; bytes: number }> {
  const named = namedInputs(root, unwritten);
  if (named.length > MAX_NAMED_FETCHES) throw new NamedInputsUnavailable(`${named.length} of them (more than ${MAX_NAMED_FETCHES})`);
  const written = { files: 0, bytes: 0 };
  await forEachFetched(named, async (path) => {
    const bytes = await fetch(path).catch((err: unknown) => {
      throw new NamedInputsUnavailable(`${path}: ${(err as Error).message}`, { cause: err });
    });
    if (!bytes) throw new NamedInputsUnavailable(`${path} is not a file GitHub serves inline`);
    // The path is real: resolveInCheckout followed every link on the way.
    await writeFetchedFile(join(root, path), bytes);
    unwritten.delete(path);
    written.files++;
    written.bytes += bytes.length;
  });
  return written;
}
