/**
 * Kubernetes refuses a ConfigMap or Secret over 1 MiB (etcd's object limit), so a kustomize generator
 * (configMapGenerator, secretGenerator: any file name, `.env`, `.conf`, scripts) can never use a bigger file.
 */
export const MAX_GENERATOR_INPUT_BYTES = 1024 * 1024;

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * Whether a kustomize build could read this file, anywhere in the repository: flux's generated
 * kustomization takes `.yaml`/`.yml` files, a kustomization's resources, patches, components, CRDs and
 * OpenAPI schemas are YAML or JSON of any size (a base may sit outside spec.path, `../base`, and
 * `--recursive` follows Kustomizations to other paths, so no folder is left out), and everything else a
 * build reads (generator inputs, `kustomization`/`Kustomization`, `.sourceignore`) is at most 1 MiB. What
 * is left out: bigger files that are not YAML or JSON, such as vendored archives, images and binaries.
 */
export function fluxMayRead(path: string, size: number): boolean {
  return size <= MAX_GENERATOR_INPUT_BYTES || MANIFEST.test(path);
}
