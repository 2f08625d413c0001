import { isAbsolute } from 'node:path';
import { InvalidFluxArgument } from './errors';
import { isDns1123Label, isDns1123Subdomain } from './kubernetes-names';

export interface DiffTarget {
  /** metadata.name of the Kustomization on the cluster. */
  name: string;
  /** Its namespace. */
  namespace: string;
  /** Absolute path of the checked-out directory that matches the Kustomization's spec.path. */
  path: string;
}

/**
 * argv for `flux diff kustomization` (flux2 cmd/flux/diff_kustomization.go). The progress bar is off
 * because its spinner writes escape sequences meant for a terminal. Every value is validated first:
 * the names must be Kubernetes names and the path absolute, so none of them can be parsed as a flag.
 */
export function buildDiffArgs(target: DiffTarget): string[] {
  if (!isDns1123Subdomain(target.name)) {
    throw new InvalidFluxArgument('Kustomization name', target.name, 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)');
  }
  if (!isDns1123Label(target.namespace)) {
    throw new InvalidFluxArgument('namespace', target.namespace, 'must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)');
  }
  // The worker always diffs a checkout under /tmp; a relative or NUL-bearing path is a bug upstream.
  if (!isAbsolute(target.path) || target.path.includes('\0')) {
    throw new InvalidFluxArgument('path', target.path, 'must be an absolute path');
  }
  return ['diff', 'kustomization', target.name, '-n', target.namespace, '--path', target.path, '--progress-bar=false'];
}
