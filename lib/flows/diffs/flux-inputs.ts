import { posix } from 'node:path';

/**
 * Kubernetes refuses a ConfigMap or Secret over 1 MiB (etcd's object limit), so a kustomize generator
 * (configMapGenerator, secretGenerator: any file name, `.env`, `.conf`, scripts) can never use a bigger file.
 */
export const MAX_GENERATOR_INPUT_BYTES = 1024 * 1024;

/**
 * Other files up to this size are written whether or not a kustomization names them: a repository's
 * scripts, READMEs and small configs cost next to nothing to write, and checking them is not worth a
 * second look. Above it (vendored chart archives, images, binaries) a file is written only when named.
 */
export const ALWAYS_WRITTEN_BYTES = 64 * 1024;

const MANIFEST = /\.(ya?ml|json)$/i;
/** The names kustomize looks for in a folder (konfig.RecognizedKustomizationFileNames). */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Read by Fluxline itself (ignore-patterns.ts), as source-controller does. */
const ALWAYS_READ_NAMES = new Set([...KUSTOMIZATION_FILES, '.sourceignore']);

/**
 * Whether a file of the PR's commit goes to disk as its tarball streams past (issue #20):
 * - `always`: a kustomize build can read it without anyone naming it. Flux's generated kustomization
 *   takes every `.yaml`/`.yml` under a path, and a kustomization's resources, patches, components, CRDs and
 *   OpenAPI schemas are YAML or JSON of any size; kustomization files and `.sourceignore`; and any file up
 *   to ALWAYS_WRITTEN_BYTES. Anywhere in the repository: a base may sit outside spec.path (`../base`),
 *   and `--recursive` follows Kustomizations to other paths.
 * - `if-named`: any other file up to 1 MiB. kustomize reads such a file only when a kustomization file
 *   names it (a generator's `files`/`envs`, a patch, a resource): flux's generated kustomization takes
 *   YAML only. Which files are named is known once every kustomization file has streamed past, wherever
 *   they sit in the archive, so these are left out of the stream and the named ones are fetched after it
 *   (named-inputs.ts).
 * - `never`: anything else, over 1 MiB: no generator can use it.
 */
export function fluxReadRule(path: string, size: number): 'always' | 'if-named' | 'never' {
  if (MANIFEST.test(path) || ALWAYS_READ_NAMES.has(posix.basename(path)) || size <= ALWAYS_WRITTEN_BYTES) return 'always';
  return size <= MAX_GENERATOR_INPUT_BYTES ? 'if-named' : 'never';
}
