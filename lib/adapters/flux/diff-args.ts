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
  /** Absolute path of the checked-out YAML that declares the Kustomization: flux builds with it, not the live one. */
  kustomizationFile?: string;
  /** flux's own `--timeout`, kept below our kill timer so flux reports its own timeout first. */
  timeoutMs?: number;
  /** .gitignore-format patterns (the source's spec.ignore and .sourceignore) flux leaves out of the build. */
  ignorePaths?: string[];
  /**
   * `--recursive` with these sources read from local folders (`Kind/namespace/name` -> absolute path): nested
   * Kustomizations of the checkout are diffed with their content, not as one changed Kustomization object.
   */
  localSources?: { source: string; path: string }[];
  /**
   * `--ignore-not-found`: the cluster flux talks to may hold no such Kustomization (a `spec.kubeConfig` target,
   * diffed on its remote cluster), so flux takes it from `kustomizationFile`, which it then requires.
   */
  ignoreNotFound?: boolean;
}

const SOURCE_NAME = /^(GitRepository|OCIRepository|Bucket)\/[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function absolute(argument: string, path: string): string {
  // The worker always diffs a checkout under /tmp; a relative or NUL-bearing path is a bug upstream.
  if (!isAbsolute(path) || path.includes('\0')) throw new InvalidFluxArgument(argument, path, 'must be an absolute path');
  return path;
}

/** One CSV record, as pflag's StringSlice reads its value (encoding/csv): fields with `,` `"` or edge spaces are quoted. */
function csvRecord(fields: string[]): string {
  return fields.map((field) => (/[",]|^\s|\s$/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
}

/**
 * argv for `flux diff kustomization` (flux2 cmd/flux/diff_kustomization.go). The progress bar is off
 * because its spinner writes escape sequences meant for a terminal. Every value is validated first:
 * the names must be Kubernetes names and the paths absolute, and the optional values are passed as
 * `--flag=value`, so none of them can be parsed as a flag.
 */
export function buildDiffArgs(target: DiffTarget): string[] {
  if (!isDns1123Subdomain(target.name)) {
    throw new InvalidFluxArgument('Kustomization name', target.name, 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)');
  }
  if (!isDns1123Label(target.namespace)) {
    throw new InvalidFluxArgument('namespace', target.namespace, 'must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)');
  }
  const args = ['diff', 'kustomization', target.name, '-n', target.namespace, '--path', absolute('path', target.path), '--progress-bar=false'];
  if (target.kustomizationFile !== undefined) args.push(`--kustomization-file=${absolute('Kustomization file', target.kustomizationFile)}`);
  if (target.timeoutMs !== undefined) {
    if (!Number.isInteger(target.timeoutMs) || target.timeoutMs < 1) throw new InvalidFluxArgument('timeout', String(target.timeoutMs), 'must be a whole number of milliseconds, at least 1');
    args.push(`--timeout=${target.timeoutMs}ms`);
  }
  const patterns = target.ignorePaths ?? [];
  const multiline = patterns.find((pattern) => /[\r\n\0]/.test(pattern));
  if (multiline !== undefined) throw new InvalidFluxArgument('ignore path', multiline, 'must be one line');
  if (patterns.length > 0) args.push(`--ignore-paths=${csvRecord(patterns)}`);
  if (target.ignoreNotFound) {
    if (target.kustomizationFile === undefined) throw new InvalidFluxArgument('ignore-not-found', 'true', 'flux needs a Kustomization file to assume a Kustomization the cluster does not have');
    args.push('--ignore-not-found');
  }
  if (target.localSources && target.localSources.length > 0) {
    for (const local of target.localSources) {
      if (!SOURCE_NAME.test(local.source)) throw new InvalidFluxArgument('local source', local.source, 'must be Kind/namespace/name of a Flux source');
      absolute('local source path', local.path);
    }
    args.push('--recursive', `--local-sources=${csvRecord(target.localSources.map((local) => `${local.source}=${local.path}`))}`);
  }
  return args;
}

/**
 * argv for `flux build kustomization` (flux2 cmd/flux/build_kustomization.go): the same target and the same
 * checks as the diff, without `--progress-bar` (build has none). Without `dryRun` flux reads the live
 * Kustomization and substitutes its `substituteFrom` values from the cluster, as the controller will;
 * `--dry-run` needs a `kustomizationFile` and skips those substitutions.
 */
export function buildKustomizationArgs(target: DiffTarget & { dryRun?: boolean }): string[] {
  if (target.dryRun && target.kustomizationFile === undefined) throw new InvalidFluxArgument('dry-run', 'true', 'flux build needs a Kustomization file to dry-run');
  // flux build has no --ignore-not-found: a Kustomization the cluster does not have is built with --dry-run.
  const args = buildDiffArgs({ ...target, ignoreNotFound: false }).filter((arg) => arg !== '--progress-bar=false');
  args[0] = 'build';
  if (target.dryRun) args.push('--dry-run');
  return args;
}
