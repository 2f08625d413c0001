import { gitopsPathOf } from '../../core/config';
import { listTree, readFile, type GithubClient, type RepositoryRef } from '../../adapters/github';
import { AmbiguousApp, AppNotInRepository, PromoteError } from './errors';
import { findVersionTargets, type TargetKind, type VersionTarget } from './version-targets';

/** The file that sets an app's version, as read from the branch. */
export interface AppLocation {
  path: string;
  /** Blob sha of the file as read: the update must name it (GitHub answers 409 if it moved). */
  sha: string;
  text: string;
  targets: VersionTarget[];
}

/** More YAML than this under one environment is a sign the folder is wrong, and a lot of API calls. */
const MAX_FILES = 300;
/** Contents reads in flight at once: GitHub's secondary rate limit dislikes bursts (docs: best practices). */
const PARALLEL_READS = 8;
const PRECEDENCE: TargetKind[] = ['helm-release', 'kustomize-image', 'container-image'];

/** The folder of an environment in the GitOps repository: `gitops.paths.<env>`, else `clusters/<env>`. */
export function folderOf(paths: Record<string, string>, environment: string): string {
  return gitopsPathOf({ paths }, environment) ?? `clusters/${environment}`;
}

async function readAll(client: GithubClient, repository: RepositoryRef, branch: string, paths: string[]): Promise<{ path: string; sha: string; text: string }[]> {
  const files: { path: string; sha: string; text: string }[] = [];
  for (let start = 0; start < paths.length; start += PARALLEL_READS) {
    const batch = await Promise.all(paths.slice(start, start + PARALLEL_READS).map(async (path) => ({ path, ...(await readFile(client, { ...repository, path, ref: branch })) })));
    files.push(...batch);
  }
  return files;
}

/**
 * Finds the one file under `folder` that sets `app`'s version (git trees API, recursive, then the
 * contents of each YAML file). The most specific kind wins across files (a HelmRelease over an image
 * tag); two files of that kind are refused, since one promote commits exactly one change.
 */
export async function locateApp(client: GithubClient, repository: RepositoryRef, branch: string, folder: string, app: string): Promise<AppLocation> {
  const { files } = await listTree(client, { ...repository, ref: branch });
  const yaml = files.filter((file) => file.path.startsWith(`${folder}/`) && /\.ya?ml$/.test(file.path)).map((file) => file.path);
  if (yaml.length > MAX_FILES) throw new PromoteError(`\`${folder}/\` holds ${yaml.length} YAML files, more than the ${MAX_FILES} Fluxline reads: set \`gitops.paths\` of this environment to a narrower folder.`);
  const read = await readAll(client, repository, branch, yaml);
  const found = read.flatMap((file) => {
    const targets = findVersionTargets(file.text, app);
    return targets && targets.length > 0 ? [{ ...file, targets }] : [];
  });
  const best = PRECEDENCE.find((kind) => found.some((file) => file.targets[0]?.kind === kind));
  const chosen = found.filter((file) => file.targets[0]?.kind === best);
  const [only] = chosen;
  if (!only) throw new AppNotInRepository(app, `${repository.owner}/${repository.repo}`, branch, folder, yaml.length);
  if (chosen.length > 1) throw new AmbiguousApp(app, chosen.map((file) => file.path));
  return only;
}

/** The same file read again (after a 409): its new sha and targets, or AppNotInRepository if the app left it. */
export async function relocate(client: GithubClient, repository: RepositoryRef, branch: string, folder: string, app: string, path: string): Promise<AppLocation> {
  const file = await readFile(client, { ...repository, path, ref: branch });
  const targets = findVersionTargets(file.text, app);
  if (!targets || targets.length === 0) throw new AppNotInRepository(app, `${repository.owner}/${repository.repo}`, branch, folder, 1);
  return { path, ...file, targets };
}
