import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

type Doc = Record<string, unknown>;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const strings = (value: unknown): string[] => list(value).filter((v): v is string => typeof v === 'string');

/**
 * Every file a kustomize build of `path` reads, as kustomize and flux find them: kustomization.yaml's
 * resources (files, or folders built in turn), components, patches, generators' files and envs; for a
 * path without a kustomization.yaml, what flux generates one from (generatedInputs); and, for
 * `flux diff --recursive`, the spec.path of each Flux Kustomization in the output.
 */
export function buildInputs(root: string, path: string, seenFolders = new Set<string>()): string[] {
  const folder = resolve(root, path);
  if (seenFolders.has(folder)) return [];
  seenFolders.add(folder);
  const kustomizationFile = join(folder, 'kustomization.yaml');
  if (!existsSync(kustomizationFile)) return withRecursion(root, generatedInputs(root, folder, seenFolders), seenFolders);
  const inputs = [kustomizationFile];
  const k = (parseAllDocuments(readFileSync(kustomizationFile, 'utf8'))[0]?.toJS() ?? {}) as Doc;
  const files: string[] = [];
  for (const entry of [...strings(k.resources), ...strings(k.components)]) {
    const target = resolve(folder, entry);
    if (existsSync(join(target, 'kustomization.yaml'))) inputs.push(...buildInputs(root, target, seenFolders));
    else files.push(target);
  }
  for (const patch of list(k.patches) as Doc[]) if (typeof patch.path === 'string') files.push(resolve(folder, patch.path));
  for (const generator of [...list(k.configMapGenerator), ...list(k.secretGenerator)] as Doc[]) {
    for (const file of [...strings(generator.files), ...strings(generator.envs)]) files.push(resolve(folder, file.includes('=') ? file.split('=')[1] ?? file : file));
  }
  return [...inputs, ...withRecursion(root, files, seenFolders)];
}

/**
 * What flux generates a kustomization.yaml from, for a path without one (fluxcd/pkg/kustomize): the YAML
 * files under it, and each subfolder that has a kustomization file of its own, built by that file.
 */
function generatedInputs(root: string, folder: string, seenFolders: Set<string>): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (!entry.isDirectory()) return /\.ya?ml$/.test(entry.name) ? [path] : [];
    return existsSync(join(path, 'kustomization.yaml')) ? buildInputs(root, path, seenFolders) : generatedInputs(root, path, seenFolders);
  });
}

/** The files, then what `--recursive` reads: the spec.path of each Flux Kustomization among them. */
function withRecursion(root: string, files: string[], seenFolders: Set<string>): string[] {
  const inputs = [...files];
  for (const file of files.filter((f) => /\.ya?ml$/.test(f) && existsSync(f))) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Doc)) {
      const spec = doc?.spec as Doc | undefined;
      if (doc?.kind === 'Kustomization' && typeof spec?.path === 'string') inputs.push(...buildInputs(root, spec.path, seenFolders));
    }
  }
  return inputs;
}
