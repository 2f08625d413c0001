import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** What the checkout declares for the diffed Kustomization. */
export interface DeclaredKustomization {
  /** Absolute path of the YAML file in the checkout. */
  file: string;
  /** The same, relative to the repository root, for the report. */
  repositoryPath: string;
  /** spec.path as declared, normalised relative to the root (`clusters/stage`; `.` for the root). */
  path: string;
  /** What the declaration asks of the controller that the diff must honour or warn about. */
  serviceAccountName?: string;
  remoteCluster: boolean;
  /** Names of the Secrets its postBuild.substituteFrom loads (flux diff substitutes them from the cluster). */
  substituteFromSecrets: { name: string; optional: boolean }[];
  /** spec.patches as declared (flux applies them to what it builds), unchecked. */
  patches: unknown[];
}

/** `found`: one declaration; `ambiguous`: the files of several; neither: none in the checkout. */
export interface KustomizationFileSearch {
  found?: DeclaredKustomization;
  ambiguous?: string[];
}

/** Bounds on the walk: a repository of manifests, not a monorepo of binaries. */
const MAX_FILES = 20_000;
export const MAX_DECLARATION_BYTES = 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);
const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';

/** spec.path as Flux reads it: relative to the source root, `./` and leading `/` allowed. */
export function normalisedPath(path: string | undefined): string {
  const clean = posix.normalize(`/${path ?? ''}`).replace(/^\/+/, '').replace(/\/+$/, '');
  return clean === '' ? '.' : clean;
}

/**
 * The YAML files under `under`, and below each the same for its subfolders. Read synchronously, as are the
 * files in declarationsIn (issue #20): hundreds of small files through the promise API cost a round trip
 * to libuv's pool each (lstat, open, stat, read, close), ~65 ms for the bench's 200 manifests on every diff,
 * against a few ms in one go. Nothing else runs in the worker meanwhile, and the walk is bounded (MAX_FILES,
 * MAX_DECLARATION_BYTES, and what the checkout may hold).
 */
function yamlFiles(root: string, under: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    if (files.length >= MAX_FILES) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(full);
      else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(full);
    }
  };
  walk(join(root, under));
  return files;
}

/** A Flux Kustomization document as YAML gives it, before anything is checked but its kind. */
interface FluxKustomizationDocument {
  apiVersion: string;
  kind: 'Kustomization';
  metadata?: { name?: unknown; namespace?: unknown };
  spec?: { path?: unknown; serviceAccountName?: unknown; kubeConfig?: unknown; postBuild?: { substituteFrom?: unknown }; patches?: unknown };
}

/** The Flux Kustomizations (kind Kustomization of kustomize.toolkit.fluxcd.io) a YAML text declares; documents that do not parse are skipped. */
export function fluxKustomizationsIn(text: string): FluxKustomizationDocument[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) return [];
    const object = document.toJS() as { apiVersion?: unknown; kind?: unknown } | null;
    const isFluxKustomization = object?.kind === 'Kustomization' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(`${FLUX_KUSTOMIZE_GROUP}/`);
    return isFluxKustomization ? [object as FluxKustomizationDocument] : [];
  });
}

interface Candidate extends DeclaredKustomization {
  namespaced: boolean;
}

function declarationsIn(root: string, file: string, target: { namespace: string; name: string }): Candidate[] {
  const stat = lstatSync(file);
  if (stat.size > MAX_DECLARATION_BYTES) return [];
  const bytes = readFileSync(file);
  // Cheap filter first, on the bytes: most YAML in a fleet repository is not a Flux Kustomization, and is never decoded.
  if (!bytes.includes(FLUX_KUSTOMIZE_GROUP)) return [];
  const found: Candidate[] = [];
  for (const object of fluxKustomizationsIn(bytes.toString('utf8'))) {
    if (object.metadata?.name !== target.name) continue;
    // flux itself takes a document without a namespace as a match (internal/build: `k.Namespace == ""`).
    const namespace = object.metadata.namespace;
    if (namespace !== undefined && namespace !== target.namespace) continue;
    const repositoryPath = relative(root, file).split(sep).join('/');
    const substituteFrom = Array.isArray(object.spec?.postBuild?.substituteFrom) ? (object.spec.postBuild.substituteFrom as unknown[]) : [];
    const substituteFromSecrets = substituteFrom.flatMap((ref) => {
      const from = (ref ?? {}) as { kind?: unknown; name?: unknown; optional?: unknown };
      return from.kind === 'Secret' && typeof from.name === 'string' ? [{ name: from.name, optional: from.optional === true }] : [];
    });
    found.push({
      file,
      repositoryPath,
      path: normalisedPath(typeof object.spec?.path === 'string' ? object.spec.path : undefined),
      ...(typeof object.spec?.serviceAccountName === 'string' ? { serviceAccountName: object.spec.serviceAccountName } : {}),
      remoteCluster: object.spec?.kubeConfig !== undefined && object.spec.kubeConfig !== null,
      substituteFromSecrets,
      patches: Array.isArray(object.spec?.patches) ? (object.spec.patches as unknown[]) : [],
      namespaced: namespace !== undefined,
    });
  }
  return found;
}

/**
 * Finds the YAML in the checkout that declares the Kustomization `namespace/name` (kind Kustomization of
 * kustomize.toolkit.fluxcd.io), so flux builds with what the PR declares (`--kustomization-file`) rather
 * than what the cluster runs. Fleet repositories often declare the same name once per cluster
 * (clusters/stage/apps.yaml, clusters/prod/apps.yaml): the search is limited to `within` (the path of the
 * Kustomization that applied this one, from its labels) when known, and among several, the one whose
 * spec.path is the live one wins. Still several: ambiguous, and the caller diffs the live object.
 */
export function findKustomizationFile(root: string, target: { namespace: string; name: string }, options: { within?: string; livePath: string }): KustomizationFileSearch {
  const under = options.within && options.within !== '.' ? options.within : '';
  const candidates: Candidate[] = [];
  for (const file of yamlFiles(root, under)) candidates.push(...declarationsIn(root, file, target));
  // A document that names the namespace beats one that leaves it out.
  const named = candidates.some((c) => c.namespaced) ? candidates.filter((c) => c.namespaced) : candidates;
  const pick = (list: Candidate[]): KustomizationFileSearch | undefined => {
    const [only] = list;
    if (list.length === 1 && only) {
      const { namespaced: _, ...declared } = only;
      return { found: declared };
    }
    return undefined;
  };
  const live = normalisedPath(options.livePath);
  return pick(named) ?? pick(named.filter((c) => c.path === live)) ?? (named.length > 0 ? { ambiguous: named.map((c) => c.repositoryPath) } : {});
}
