import type { GitRepositoryRef } from '../../adapters/kube';

/**
 * Whether merging into `baseRef` changes what this GitRepository fetches. source-controller follows one
 * branch, tag, semver range, named ref or commit (spec.ref; the `master` branch when unset, as its API
 * documents); only a source following the PR's base branch deploys the merge.
 */
export function trackedRef(ref: GitRepositoryRef | undefined): { what: string; branch?: string } {
  if (!ref) return { what: 'branch `master` (no spec.ref)', branch: 'master' };
  if (ref.commit) return { what: `commit "${ref.commit.slice(0, 7)}"` };
  if (ref.name) {
    const branch = /^refs\/heads\/(.+)$/.exec(ref.name)?.[1];
    return branch ? { what: `branch "${branch}"`, branch } : { what: `ref "${ref.name}"` };
  }
  if (ref.semver) return { what: `semver range "${ref.semver}"` };
  if (ref.tag) return { what: `tag "${ref.tag}"` };
  if (ref.branch) return { what: `branch "${ref.branch}"`, branch: ref.branch };
  return { what: 'branch `master` (no spec.ref)', branch: 'master' };
}

/** undefined when the source follows the base branch; else the warning that merging deploys nothing there. */
export function notTrackingWarning(ref: GitRepositoryRef | undefined, baseRef: string, source: string, cluster: string): string | undefined {
  const tracked = trackedRef(ref);
  if (tracked.branch === baseRef) return undefined;
  return `GitRepository ${source} on ${cluster} follows ${tracked.what}, not "${baseRef}": merging this PR deploys nothing to ${cluster} until that ref includes it`;
}
