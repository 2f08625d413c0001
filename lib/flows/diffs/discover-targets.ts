import { posix } from 'node:path';
import { clusterAccess, type Config, type DiffTarget, type RepositoryRule } from '../../core/config';
import { listTree, readFile, type GithubClient } from '../../adapters/github';
import { listGitRepositoriesOf, listKustomizations, listOciRepositoriesOf, resolveClusterAccess, type Kustomization } from '../../adapters/kube';
import { logger } from '../../core/log';
import { covers, isUnder, reachIn, type Reach, type RepositoryReader } from './coverage';
import { fluxKustomizationsIn, normalisedPath } from './kustomization-file';
import { trackedRef } from './source-tracking';

export interface DiscoverDeps {
  config: Config;
  readParameter: (name: string) => Promise<string>;
  /** The installation's client, to read the PR's tree (no checkout here). */
  client: GithubClient;
  /** Per cluster, for all its reads: the notice waits for the slowest cluster, no longer. */
  clusterTimeoutMs?: number;
}

export interface DiscoverAsk {
  rule: RepositoryRule;
  repository: string;
  baseRef: string;
  /**
   * The commit whose tree says what each Kustomization's path reaches: the one the diff will read, GitHub's
   * test merge when it is current (a base commit since the branch was cut may add `resources: ../base`),
   * else the head (diffed-commit.ts).
   */
  treeSha: string;
  /** The PR's changed files (the watched ones). */
  changed: readonly string[];
}

export interface TargetDiscovery {
  /** Configured targets first, then the discovered ones, each once. */
  targets: DiffTarget[];
  /** Changed files that no target's diff reads, as far as Fluxline could tell (see `notes`). */
  uncovered: string[];
  /** Changed files some target reads; undefined when the targets were not looked for. */
  readByTargets?: string[];
  /** Clusters that did not answer, a tree GitHub would not give: said on the notice. */
  notes: string[];
  /** The bytes of the commit's files, from its tree when GitHub gave it: the diffs' hint for how to check it out. */
  repositoryBytes?: number;
}

const DEFAULT_CLUSTER_TIMEOUT_MS = 5_000;
/** kustomization.yaml files read through the contents API per PR: a bound on GitHub calls from one notice. */
const MAX_FILE_READS = 60;
/** Of those, the PR's changed YAML files read for the Flux Kustomizations they declare. */
const MAX_DECLARATION_READS = 20;

const key = (target: DiffTarget) => `${target.kustomization}@${target.cluster}`;

class TimedOut extends Error {}

/**
 * `work` given `ms`: past it the answer is TimedOut and the signal `work` was given aborts, so its requests
 * close their sockets now rather than at their own timeout (a Lambda must not carry them into the next event).
 */
async function within<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimedOut(`no answer within ${ms / 1000} s`);
      controller.abort(error);
      reject(error);
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Kustomizations of one cluster that build from this repository and the PR's base branch. */
async function candidatesOn(deps: DiscoverDeps, cluster: string, ask: DiscoverAsk, signal: AbortSignal): Promise<Kustomization[]> {
  const access = clusterAccess(deps.config, cluster);
  if (!access) return [];
  const connection = await resolveClusterAccess(cluster, access, { readParameter: deps.readParameter }, { signal });
  const [kustomizations, gitSources, ociSources] = await Promise.all([listKustomizations(connection), listGitRepositoriesOf(connection, ask.repository), listOciRepositoriesOf(connection, ask.repository)]);
  const sources = new Set<string>();
  for (const git of gitSources) if (trackedRef(git.ref).branch === ask.baseRef) sources.add(`GitRepository/${git.namespace}/${git.name}`);
  // An artifact built from another branch says so in its revision (`branch@sha1:…`); one that does not say is kept.
  for (const oci of ociSources) {
    const branch = oci.sourceRevision?.includes('@') ? oci.sourceRevision.slice(0, oci.sourceRevision.lastIndexOf('@')) : undefined;
    if (branch === undefined || branch === ask.baseRef) sources.add(`OCIRepository/${oci.namespace}/${oci.name}`);
  }
  return kustomizations.filter((k) => sources.has(`${k.sourceRef.kind}/${k.sourceRef.namespace}/${k.sourceRef.name}`));
}

/**
 * The PR's commit as GitHub's tree: one recursive call lists every file, and only the kustomization files a
 * walk reaches are read. undefined when GitHub cuts the tree short (past 100,000 entries) or will not give it.
 */
async function treeReader(client: GithubClient, repository: string, ref: string): Promise<{ reader: RepositoryReader; has: (file: string) => boolean; bytes: number } | undefined> {
  const [owner = '', repo = ''] = repository.split('/');
  const tree = await listTree(client, { owner, repo, ref }).catch((err: unknown) => {
    logger.warn('could not read the PR tree; diff targets are matched by spec.path alone', { error: err as Error });
    return undefined;
  });
  if (!tree || tree.truncated) return undefined;
  const files = new Set(tree.files.map((file) => file.path));
  const children = new Map<string, Set<string>>();
  const folders = new Set<string>(['.']);
  for (const path of files) {
    let child = path;
    for (let parent = posix.dirname(path); ; parent = posix.dirname(parent)) {
      const known = folders.has(parent);
      const names = children.get(parent) ?? new Set<string>();
      names.add(posix.basename(child));
      children.set(parent, names);
      if (known) break;
      folders.add(parent);
      child = parent;
    }
  }
  let reads = 0;
  const cache = new Map<string, Promise<string | undefined>>();
  const reader: RepositoryReader = {
    entries: (folder) => Promise.resolve([...(children.get(folder) ?? [])]),
    subfolders: (folder) => Promise.resolve([...(children.get(folder) ?? [])].filter((name) => folders.has(posix.join(folder, name)))),
    kind: (path) => Promise.resolve(files.has(path) ? 'file' : folders.has(path) ? 'folder' : undefined),
    read: (file) => {
      let text = cache.get(file);
      if (!text) {
        text = ++reads > MAX_FILE_READS ? Promise.resolve(undefined) : readFile(client, { owner, repo, path: file, ref }).then((read) => read.text, () => undefined);
        cache.set(file, text);
      }
      return text;
    },
  };
  return { reader, has: (file) => files.has(file), bytes: tree.files.reduce((sum, file) => sum + file.size, 0) };
}

/** Without the tree: a Kustomization reads what lies under its spec.path, no more. */
function pathOnly(path: string): Reach {
  return { files: new Set(), wholeFolders: new Set([path]), builtApart: new Set(), folders: new Set([path]) };
}

/**
 * DESIGN §3 flow 2, "the PR's targets": on every configured cluster, the Kustomizations whose source is
 * this repository (a GitRepository of its URL, an OCIRepository whose artifact names it) following the PR's
 * base branch, kept when a changed file is among what their path reaches (coverage.ts, over GitHub's tree
 * of the commit the diff will read: the test merge, else the head). Combined with `repositories[].diffs`: a configured target comes first and stays, unless its
 * cluster answered, listed it among this repository's Kustomizations, and the PR changes nothing it reads;
 * discovered ones follow. `discover: false` keeps the configured list as it is, without a cluster call.
 * A cluster that does not answer in time keeps its configured targets and is named in `notes`.
 */
export async function discoverDiffTargets(deps: DiscoverDeps, ask: DiscoverAsk): Promise<TargetDiscovery> {
  const configured = ask.rule.diffs.map(({ kustomization, cluster }) => ({ kustomization, cluster }));
  if (!ask.rule.discover) return { targets: configured, uncovered: [], notes: [] };
  const timeoutMs = deps.clusterTimeoutMs ?? DEFAULT_CLUSTER_TIMEOUT_MS;
  const clusters = Object.keys(deps.config.clusters);
  const [tree, ...listed] = await Promise.all([
    treeReader(deps.client, ask.repository, ask.treeSha),
    ...clusters.map((cluster) =>
      within(timeoutMs, (signal) => candidatesOn(deps, cluster, ask, signal)).then(
        (kustomizations) => ({ cluster, kustomizations }),
        (err: unknown) => {
          logger.warn('could not list the Kustomizations of a cluster for the PR notice', { cluster, error: err as Error });
          return { cluster, error: err instanceof Error ? err.message : String(err) };
        },
      ),
    ),
  ]);
  // Only where a parent applies a child from: the notice's reads of the tree are bounded (MAX_FILE_READS).
  const parentPaths = listed.flatMap((result) => ('kustomizations' in result ? result.kustomizations.flatMap((k) => parentOf(k, result.kustomizations) ?? []).map((parent) => normalisedPath(parent.path)) : []));
  const underParent = (file: string) => parentPaths.some((within) => isUnder(file, within));
  const declarations = tree ? await changedDeclarations(tree.reader, ask.changed.filter((file) => tree.has(file) && underParent(file))) : [];
  const notes: string[] = [];
  const answered = new Set<string>();
  const touched = new Map<string, { target: DiffTarget; reach: Reach }>();
  const untouched = new Set<string>();
  for (const result of listed) {
    if ('error' in result) {
      const kept = configured.filter((target) => target.cluster === result.cluster);
      notes.push(`Could not read the Kustomizations of \`${result.cluster}\` (${result.error.slice(0, 200)}): ${kept.length ? 'its configured targets are offered' : 'no target offered there'}.`);
      continue;
    }
    answered.add(result.cluster);
    for (const k of result.kustomizations) {
      const path = normalisedPath(k.path);
      const reach = tree ? await reachIn(tree.reader, path) : pathOnly(path);
      // Its diff reads the PR's declaration of it too (run-diff.ts): a changed spec is a change to this Kustomization.
      for (const file of declaredBy(declarations, k, result.kustomizations)) reach.files.add(file);
      const target = { kustomization: `${k.namespace}/${k.name}`, cluster: result.cluster };
      if (ask.changed.some((file) => covers(reach, file, tree ? tree.has(file) : true))) touched.set(key(target), { target, reach });
      else untouched.add(key(target));
    }
  }
  if (!tree) notes.push('GitHub did not give the PR’s file tree: targets were matched by their spec.path alone.');

  const targets = configured.filter((target) => !(answered.has(target.cluster) && untouched.has(key(target))));
  for (const { target } of touched.values()) {
    if (!targets.some((t) => key(t) === key(target))) targets.push(target);
  }
  // Across all targets: a file one target reads is covered, whichever button diffs it.
  const reaches = [...touched.values()].map(({ reach }) => reach);
  const uncovered = ask.changed.filter((file) => !reaches.some((reach) => covers(reach, file, tree ? tree.has(file) : true)));
  return { targets, uncovered, notes, readByTargets: ask.changed.filter((file) => !uncovered.includes(file)), ...(tree ? { repositoryBytes: tree.bytes } : {}) };
}

type Declaration = { file: string; name: string; namespace?: string };

/** The Flux Kustomizations the PR's changed YAML files declare (the first MAX_DECLARATION_READS of them). */
async function changedDeclarations(reader: RepositoryReader, changed: string[]): Promise<Declaration[]> {
  const files = changed.filter((file) => /\.ya?ml$/.test(file)).slice(0, MAX_DECLARATION_READS);
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await reader.read(file) })));
  return texts.flatMap(({ file, text }) =>
    text?.includes('kustomize.toolkit.fluxcd.io')
      ? fluxKustomizationsIn(text).flatMap(({ metadata }) => (typeof metadata?.name === 'string' ? [{ file, name: metadata.name, ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}) }] : []))
      : [],
  );
}

/**
 * The changed files that declare `k` where its diff looks for its declaration: under the path of the
 * Kustomization of the same source that applied it (its owner labels), as run-diff does. Without a known
 * parent none: fleets declare the same name once per cluster, and the parent's own diff shows the change.
 */
function declaredBy(declarations: Declaration[], k: Kustomization, candidates: Kustomization[]): string[] {
  const parent = parentOf(k, candidates);
  if (!parent) return [];
  const within = normalisedPath(parent.path);
  return declarations.filter((d) => d.name === k.name && (d.namespace ?? k.namespace) === k.namespace && isUnder(d.file, within)).map((d) => d.file);
}

/** The Kustomization among `candidates` (this repository's) that applied `k`, by its owner labels. */
function parentOf(k: Kustomization, candidates: Kustomization[]): Kustomization | undefined {
  return k.appliedBy && candidates.find((other) => other.namespace === k.appliedBy?.namespace && other.name === k.appliedBy.name);
}
