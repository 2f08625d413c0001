import { isMap, parseAllDocuments } from 'yaml';
import { posix } from 'node:path';
import { gitopsPathOf } from '../../core/config';
import { listTree, readFile, type GithubClient, type RepositoryRef } from '../../adapters/github';
import { AmbiguousApp, AppNotInRepository, PromoteError, VersionInBase } from './errors';
import { findVersionTargets, ociTagTargets, SUBSTITUTION, type TargetKind, type VersionTarget } from './version-targets';

/** How the targets were found, so that a file read again (after a 409) is searched the same way. */
export type Lookup = { by: 'app' } | { by: 'oci-repository'; name: string };

/** The file that sets an app's version, as read from the branch. */
export interface AppLocation {
  path: string;
  /** Blob sha of the file as read: the update must name it (GitHub answers 409 if it moved). */
  sha: string;
  text: string;
  targets: VersionTarget[];
  lookup?: Lookup;
}

/** More YAML than this under one environment is a sign the folder is wrong, and a lot of API calls. */
const MAX_FILES = 300;
/** Contents reads in flight at once: GitHub's secondary rate limit dislikes bursts (docs: best practices). */
const PARALLEL_READS = 8;
const GROUPS: TargetKind[][] = [['helm-release', 'helm-values-tag', 'oci-chart-tag'], ['kustomize-image'], ['container-image']];

/** The folder of an environment in the GitOps repository: `gitops.paths.<env>`, else `clusters/<env>`. */
export function folderOf(paths: Record<string, string>, environment: string): string {
  return gitopsPathOf({ paths }, environment) ?? `clusters/${environment}`;
}

type ReadFile = { path: string; sha: string; text: string };

async function readAll(client: GithubClient, repository: RepositoryRef, branch: string, paths: string[]): Promise<ReadFile[]> {
  const files: ReadFile[] = [];
  for (let start = 0; start < paths.length; start += PARALLEL_READS) {
    const batch = await Promise.all(paths.slice(start, start + PARALLEL_READS).map(async (path) => ({ path, ...(await readFile(client, { ...repository, path, ref: branch })) })));
    files.push(...batch);
  }
  return files;
}

const groupOf = (targets: VersionTarget[]) => GROUPS.findIndex((group) => group.includes(targets[0]?.kind ?? 'container-image'));

/**
 * Where a `${var}` really lives: a Flux Kustomization under the folder whose `spec.postBuild.substitute`
 * defines it, else its `substituteFrom` ConfigMaps and Secrets.
 */
function substitutionHome(files: ReadFile[], variable: string): string {
  for (const file of files) {
    for (const doc of parseAllDocuments(file.text)) {
      if (!isMap(doc.contents) || doc.errors.length > 0) continue;
      if (doc.hasIn(['spec', 'postBuild', 'substitute', variable])) return `it is set in \`${file.path}\` (\`spec.postBuild.substitute.${variable}\` of the Flux Kustomization \`${String(doc.getIn(['metadata', 'name']))}\`): change it there`;
    }
  }
  return `no Flux Kustomization under this folder sets \`spec.postBuild.substitute.${variable}\`, so it comes from a ConfigMap or Secret of \`spec.postBuild.substituteFrom\`: change it there`;
}

/** A HelmRelease with `spec.chartRef` to an OCIRepository: the targets are that OCIRepository's `spec.ref.tag`. */
function followChartRef(files: ReadFile[], chosen: ReadFile & { targets: VersionTarget[] }, folder: string): AppLocation {
  const pointer = chosen.targets.find((target) => target.kind === 'oci-chart-tag' && target.chartRef && !target.problem);
  if (!pointer?.chartRef) return chosen;
  const name = pointer.chartRef.name;
  const holders = files.flatMap((file) => {
    const targets = ociTagTargets(file.text, name);
    return targets.length > 0 ? [{ ...file, targets, lookup: { by: 'oci-repository' as const, name } }] : [];
  });
  const [only] = holders;
  const others = chosen.targets.filter((target) => target !== pointer);
  if (!only) return { ...chosen, targets: [...others, { ...pointer, problem: `its chart comes from the OCIRepository \`${name}\` (\`spec.chartRef\`), which is not under \`${folder}/\`: change its \`spec.ref.tag\` where it is defined` }] };
  if (holders.length > 1) throw new AmbiguousApp(name, holders.map((file) => file.path));
  // The HelmRelease's own image tag (values) would be in another file: one promote commits one file.
  return only;
}

/**
 * The version only in a base the environment's kustomization.yaml pulls in from outside its folder: editing
 * it would change every environment that uses the base, so it is refused with where it is.
 */
async function findInBases(client: GithubClient, repository: RepositoryRef, branch: string, folder: string, app: string, files: ReadFile[], tree: string[]): Promise<string[]> {
  const outside = new Set<string>();
  for (const file of files.filter((f) => /(^|\/)kustomization\.ya?ml$/.test(f.path))) {
    for (const doc of parseAllDocuments(file.text)) {
      const resources = doc.errors.length === 0 ? doc.toJS() as { resources?: unknown } : undefined;
      for (const resource of Array.isArray(resources?.resources) ? resources.resources : []) {
        if (typeof resource !== 'string' || /^[a-z]+:\/\//.test(resource)) continue;
        const target = posix.normalize(posix.join(posix.dirname(file.path), resource));
        if (target.startsWith(`${folder}/`) || target.startsWith('..')) continue;
        for (const path of tree) if ((path === target || path.startsWith(`${target}/`)) && /\.ya?ml$/.test(path)) outside.add(path);
      }
    }
  }
  const bases = await readAll(client, repository, branch, [...outside].slice(0, MAX_FILES));
  return bases.filter((file) => (findVersionTargets(file.text, app) ?? []).length > 0).map((file) => file.path);
}

/**
 * Finds the one file under `folder` that sets `app`'s version (git trees API, recursive, then the
 * contents of each YAML file). The most specific kind wins across files (a HelmRelease over an image
 * tag), and a patch over what it patches; two files of that kind are refused, since one promote commits
 * exactly one change.
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
  const best = Math.min(...found.map((file) => groupOf(file.targets)));
  const inGroup = found.filter((file) => groupOf(file.targets) === best);
  const patches = inGroup.filter((file) => file.targets.some((target) => target.viaPatch));
  const chosen = patches.length > 0 ? patches : inGroup;
  const [only] = chosen;
  if (!only) {
    const bases = await findInBases(client, repository, branch, folder, app, read, files.map((file) => file.path));
    if (bases.length > 0) throw new VersionInBase(app, folder, bases);
    throw new AppNotInRepository(app, `${repository.owner}/${repository.repo}`, branch, folder, yaml.length);
  }
  if (chosen.length > 1) throw new AmbiguousApp(app, chosen.map((file) => file.path));
  const location = followChartRef(read, only, folder);
  const targets = location.targets.map((target) => {
    const variable = target.problem ? SUBSTITUTION.exec(target.current)?.[1] : undefined;
    return variable ? { ...target, problem: `${target.problem}; ${substitutionHome(read, variable)}` } : target;
  });
  return { ...location, targets, lookup: location.lookup ?? { by: 'app' } };
}

/** The same file read again (after a 409): its new sha and targets, or AppNotInRepository if the app left it. */
export async function relocate(client: GithubClient, repository: RepositoryRef, branch: string, folder: string, app: string, previous: AppLocation): Promise<AppLocation> {
  const file = await readFile(client, { ...repository, path: previous.path, ref: branch });
  const lookup = previous.lookup ?? { by: 'app' };
  const all = lookup.by === 'oci-repository' ? ociTagTargets(file.text, lookup.name) : (findVersionTargets(file.text, app) ?? []);
  // The same targets as before (by kind), so a re-read never widens the edit.
  const kinds = new Set(previous.targets.map((target) => target.kind));
  const targets = all.filter((target) => kinds.has(target.kind));
  if (targets.length === 0) throw new AppNotInRepository(app, `${repository.owner}/${repository.repo}`, branch, folder, 1);
  return { path: previous.path, ...file, targets, lookup };
}
