import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { KUSTOMIZATION_FILES } from './flux-inputs';

/** What one diff reads in the checkout: files kustomize reaches from the Kustomization's path. */
export interface Reach {
  /** Repository-relative files. */
  files: Set<string>;
  /** Folders whose every file counts (flux generates their kustomization.yaml from all they hold). */
  wholeFolders: Set<string>;
  /**
   * Subfolders of a whole folder that a kustomization file of their own builds: flux's generated file
   * names the subfolder, not its files, so one there counts only when that kustomization file reaches it.
   */
  builtApart: Set<string>;
  /** Every folder walked, for files the PR removes (absent from the checkout). */
  folders: Set<string>;
}

/** Bound on folders walked: `resources: ../..` loops are cut by `folders`, this cuts a fan-out. */
const MAX_FOLDERS = 5_000;

const toRepositoryPath = (root: string, path: string) => relative(root, path).split(sep).join('/') || '.';

async function kind(path: string): Promise<'file' | 'folder' | undefined> {
  const found = await stat(path).catch(() => undefined);
  return found?.isDirectory() ? 'folder' : found?.isFile() ? 'file' : undefined;
}

/**
 * A kustomization file's local references, relative to its folder: resources, components, bases, patches,
 * generator inputs, and the files of transformers, generators, validators, configurations and the OpenAPI
 * schema. Remote ones (URLs, `github.com/…`, `?ref=`) are left out: they are not in this repository.
 */
export function references(kustomization: unknown): string[] {
  if (!kustomization || typeof kustomization !== 'object') return [];
  const k = kustomization as Record<string, unknown>;
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const paths = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap((v) => (v && typeof v === 'object' && typeof (v as { path?: unknown }).path === 'string' ? [(v as { path: string }).path] : [])) : []);
  // Generator inputs may be `key=path`; only the path is a file.
  const generatorFiles = (value: unknown): string[] =>
    Array.isArray(value)
      ? value.flatMap((g) => {
          if (!g || typeof g !== 'object') return [];
          const gen = g as { files?: unknown; envs?: unknown; env?: unknown };
          return [...strings(gen.files), ...strings(gen.envs), ...(typeof gen.env === 'string' ? [gen.env] : [])].map((entry) => entry.slice(entry.indexOf('=') + 1));
        })
      : [];
  return [
    ...strings(k.resources),
    ...strings(k.components),
    ...strings(k.bases),
    ...strings(k.crds),
    ...strings(k.patchesStrategicMerge),
    ...paths(k.patches),
    ...paths(k.patchesJson6902),
    ...paths(k.replacements),
    ...generatorFiles(k.configMapGenerator),
    ...generatorFiles(k.secretGenerator),
    ...strings(k.transformers),
    ...strings(k.generators),
    ...strings(k.validators),
    ...strings(k.configurations),
    ...(k.openapi && typeof k.openapi === 'object' && typeof (k.openapi as { path?: unknown }).path === 'string' ? [(k.openapi as { path: string }).path] : []),
  ].filter((entry) => !/^[a-z]+:\/\/|^(github\.com|gitlab\.com|bitbucket\.org)\/|\?ref=/i.test(entry));
}

/** Whether a repository-relative path lies inside `folder` (`.` is the repository's root). */
export function isUnder(path: string, folder: string): boolean {
  return folder === '.' || path.startsWith(`${folder}/`);
}

/**
 * The repository-relative path a kustomization file in `folder` names with `reference`; undefined when the
 * reference is absolute or climbs out of the repository (kustomize refuses both from a checkout root).
 */
export function referencedPath(folder: string, reference: string): string | undefined {
  if (posix.isAbsolute(reference)) return undefined;
  const target = posix.normalize(posix.join(folder, reference)).replace(/\/+$/, '') || '.';
  return target === '..' || target.startsWith('../') ? undefined : target;
}

/**
 * How reachIn sees a repository, by repository-relative POSIX paths: the checkout on disk (the worker) or
 * GitHub's tree of the PR's commit (the PR notice, which has no checkout).
 */
export interface RepositoryReader {
  /** Names directly inside a folder; [] when it is not one. */
  entries(folder: string): Promise<string[]>;
  /** The names of those that are folders themselves, not links to one: what flux's generator walks into. */
  subfolders(folder: string): Promise<string[]>;
  kind(path: string): Promise<'file' | 'folder' | undefined>;
  /** A file's text; undefined when it cannot be read. */
  read(file: string): Promise<string | undefined>;
}

/** The checkout on disk; symbolic links were verified when it was extracted, so following them is safe. */
export function checkoutReader(root: string): RepositoryReader {
  return {
    entries: (folder) => readdir(join(root, folder)).catch(() => [] as string[]),
    subfolders: (folder) =>
      readdir(join(root, folder), { withFileTypes: true }).then(
        (entries) => entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
        () => [] as string[],
      ),
    kind: (path) => kind(join(root, path)),
    read: (file) => readFile(join(root, file), 'utf8').catch(() => undefined),
  };
}

/**
 * The files a `flux diff` of `path` builds from, read the way kustomize does: a folder with a
 * kustomization.yaml reaches what it lists (`resources: ../base`, components, patches, generator files),
 * recursively; a path without one is built whole (flux generates its kustomization.yaml from every
 * manifest under it), but for its subfolders that have a kustomization file, built by that file. Remote
 * bases are not followed: they are not in this repository.
 */
export async function reachFrom(root: string, path: string): Promise<Reach> {
  return reachIn(checkoutReader(root), toRepositoryPath(root, join(root, path)));
}

/** reachFrom over any RepositoryReader; `path` is repository-relative. */
export async function reachIn(reader: RepositoryReader, path: string): Promise<Reach> {
  const reach: Reach = { files: new Set(), wholeFolders: new Set(), builtApart: new Set(), folders: new Set() };
  const kustomizationFileIn = (entries: string[]) => KUSTOMIZATION_FILES.find((candidate) => entries.includes(candidate));
  const walk = async (name: string): Promise<void> => {
    if (name === '..' || name.startsWith('../') || reach.folders.has(name) || reach.folders.size >= MAX_FOLDERS) return;
    reach.folders.add(name);
    const entries = await reader.entries(name);
    const file = kustomizationFileIn(entries);
    if (!file) return generated(name);
    const kustomizationFile = posix.join(name, file);
    reach.files.add(kustomizationFile);
    let parsed: unknown;
    try {
      parsed = parse((await reader.read(kustomizationFile)) ?? '');
    } catch {
      return; // flux reports the broken file; coverage counts the file itself
    }
    for (const reference of references(parsed)) {
      const target = referencedPath(name, reference);
      if (target === undefined) continue;
      const what = await reader.kind(target);
      if (what === 'folder') await walk(target);
      else if (what === 'file') reach.files.add(target);
    }
  };
  // A folder without a kustomization file, as flux generates one (fluxcd/pkg/kustomize): every manifest
  // under it, except below a subfolder with a kustomization file of its own, which is built by that file
  // (and may reach `../../base` outside).
  const generated = async (name: string): Promise<void> => {
    reach.wholeFolders.add(name);
    for (const subfolder of await reader.subfolders(name)) {
      const child = posix.join(name, subfolder);
      if (reach.folders.size >= MAX_FOLDERS) return;
      if (kustomizationFileIn(await reader.entries(child))) {
        reach.builtApart.add(child);
        await walk(child);
      } else {
        reach.folders.add(child);
        await generated(child);
      }
    }
  };
  await walk(posix.normalize(path.split(sep).join('/')).replace(/^\.\/|\/+$/g, '') || '.');
  return reach;
}

/** Whether a changed path is read by the diff; a removed one counts when it sat in a folder the diff reads. */
export function covers(reach: Reach, changed: string, existsInCheckout: boolean): boolean {
  if (reach.files.has(changed)) return true;
  const inside = (folders: Set<string>) => [...folders].some((folder) => isUnder(changed, folder));
  if (inside(reach.wholeFolders) && !inside(reach.builtApart)) return true;
  return !existsInCheckout && inside(reach.folders);
}
