import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { clusterAccess, remoteClusterOf, type ClusterAccess, type Config } from '../../core/config';
import { buildDiffArgs, classifyDiffRun, type DiffTarget, fluxVersion, fluxWarnings, parseDiffReport, runFlux, withJobFolder, type DiffOutcome, type DiffSummary } from '../../adapters/flux';
import { listPullRequestFiles, type GithubApp, type PullRequestInfo } from '../../adapters/github';
import { getKustomization, listGitRepositoriesOf, resolveClusterAccess, type ClusterConnection, type Kustomization } from '../../adapters/kube';
import { logger } from '../../core/log';
import { covers, reachFrom } from './coverage';
import { chooseDiffedCommit, diffedSha, type DiffedCommit } from './diffed-commit';
import { describeCluster, readDiffSource, type DiffSource } from './diff-source';
import { ForkNotAllowed, PathRemoved, RemoteCluster, SourceMismatch } from './errors';
import { checkoutPullRequest, type Checkout } from './checkout-pull-request';
import { keptCheckouts } from './checkout-cache';
import { ignorePatterns } from './ignore-patterns';
import { findKustomizationFile, normalisedPath, type KustomizationFileSearch } from './kustomization-file';
import { readSubstitutedSecrets } from './read-substituted-secrets';
import type { SecretMasker } from './substituted-secrets';
import { createdContents, type CreatedContent } from './created-objects';
import type { CheckoutScope } from './scoped-checkout';

export interface DiffDeps {
  config: Config;
  github: () => Promise<GithubApp>;
  fluxBin: string;
  /** The only variable flux inherits besides HOME and KUBECONFIG: the Lambda's credentials must not reach it. */
  fluxPath: string;
  readParameter: (name: string) => Promise<string>;
  /** Where checkouts go; Lambda's only writable disk is /tmp. */
  workRoot?: string;
  /** Kept below the worker's Lambda timeout so a hung flux is reported, not cut off mid-write. */
  fluxTimeoutMs: number;
  maxTarballBytes?: number;
  maxOutputBytes?: number;
  /** Bytes of checkouts kept under <workRoot>/kept between warm invocations (checkout-cache.ts); none when 0 or absent. */
  checkoutCacheBytes?: number;
  /** Repositories from this size are checked out file by file, only what the diff reads, when the cluster says what that is (scoped-checkout.ts); absent: always the tarball. */
  scopedCheckoutMinBytes?: number;
}

export interface DiffRequest {
  jobId: string;
  repository: string;
  number: number;
  /** `namespace/name` of the Kustomization. */
  kustomization: string;
  cluster: string;
  impersonate?: { user?: string; group?: string };
  /** From the repository's fork policy and who asked: whether a fork PR's code may run through flux. */
  mayDiffFork: boolean;
  forkRefusal?: string;
  /**
   * The changed files some diff target of the PR reads, as its notice found them for `headSha`: a file this
   * diff does not read but another target does is said as such, not as uncovered.
   */
  prCoverage?: PrCoverage | Promise<PrCoverage | undefined>;
  /** The bytes of the repository's files as its notice found them (a hint; never rejects): below the scoped checkout's threshold, the tarball is fetched at once. */
  repositoryBytes?: Promise<number | undefined>;
  /** The App installation the PR's notice names (checkout-pull-request.ts). */
  installationId?: Promise<number | undefined>;
  /** Called once the commit and the cluster are read, just before flux runs: the check run goes `in_progress` here. */
  onFluxStart?: (pr: { headSha: string }) => Promise<void>;
  /**
   * Called once flux diff's outcome is known and masked, before the created objects are built: the caller
   * stores the result meanwhile (issue #20). What it returns is handed back as DiffRun.stored, unawaited.
   */
  onDiffed?: (diffed: { report: string; outcome: DiffOutcome; summary?: DiffSummary; headSha: string }) => Promise<unknown>;
}

type PrCoverage = { headSha: string; readByTargets: readonly string[] };

/** What was compared with what, and what the reader must know before approving: stored with the report. */
export interface DiffContext {
  /** The commit checked out and diffed. */
  diffedSha: string;
  /** `merge`: GitHub's test merge; `head`: the PR head alone (no current test merge). */
  diffed: 'merge' | 'head';
  behindBy: number;
  baseRef: string;
  /** The base branch's tip when the diff ran. */
  baseSha: string;
  /** status.lastAppliedRevision of the live Kustomization. */
  appliedRevision?: string;
  /** `flux version --client` of the binary that diffed. */
  fluxVersion?: string;
  /** The PR's YAML that declared the Kustomization, passed as `--kustomization-file`; repository-relative. */
  kustomizationFile?: string;
  /** Said next to the result and carried by Approve: merging may not do what the diff shows. */
  warnings: string[];
  /** How the diff was made (identity, ignore rules, SOPS, masking). */
  notes: string[];
  /** Files the PR changes that this diff does not read (capped at MAX_UNCOVERED_LISTED). */
  uncovered: string[];
  /** How many there are in all. */
  uncoveredCount: number;
  /** Values of substituteFrom Secrets were found (and masked) in the output. */
  substitutedSecrets: boolean;
  privateRepository: boolean;
}

export interface DiffRun {
  pr: Pick<PullRequestInfo, 'repository' | 'number' | 'title' | 'url' | 'headSha' | 'fromFork' | 'headRepository'>;
  /** spec.path of the Kustomization, as diffed (from the PR's declaration when it has one). */
  path: string;
  outcome: DiffOutcome;
  summary?: DiffSummary;
  /** The flux output worth keeping: the diff when there are changes, else the error text. */
  report: string;
  /** The content of the objects the diff reports as created, masked (created-objects.ts). */
  created: CreatedContent[];
  durationMs: number;
  context: DiffContext;
  /** What onDiffed returned (the result's write), for the caller to await. */
  stored?: Promise<unknown>;
  /** Settles once the checkout is kept or removed; never rejects. The caller awaits it before its handler returns (beside the job's ending). */
  disposed?: Promise<void>;
}

const DEFAULT_MAX_TARBALL = 200 * 1024 * 1024;
const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;
/** withJobFolder's own default. */
const DEFAULT_WORK_ROOT = '/tmp/fluxline';
/** Uncovered files named in a report; the count says how many more. */
export const MAX_UNCOVERED_LISTED = 20;

function splitName(qualified: string): { namespace: string; name: string } {
  const [namespace = 'flux-system', name = qualified] = qualified.includes('/') ? qualified.split('/') : ['flux-system', qualified];
  return { namespace, name };
}

/**
 * flux's own `--timeout`, below our kill timer (`fluxTimeoutMs`) by a tenth of it and at least a second:
 * flux then stops its dry-run and says where it was, instead of being killed mid-write at the same moment.
 */
export function fluxOwnTimeoutMs(killTimerMs: number): number {
  return Math.max(1, killTimerMs - Math.max(1_000, Math.round(killTimerMs / 10)));
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * The path of the Kustomization of the same source that applied this one (its labels say which): the
 * PR's declaration of this one must sit under it. undefined when unknown.
 */
async function parentPathOf(connection: ClusterConnection, kustomization: Kustomization): Promise<string | undefined> {
  if (!kustomization.appliedBy) return undefined;
  const parent = await getKustomization(connection, kustomization.appliedBy).catch((err: unknown) => {
    logger.warn('could not read the Kustomization that applied the diffed one', { parent: kustomization.appliedBy, error: err as Error });
    return undefined;
  });
  const sameSource = parent && parent.sourceRef.kind === kustomization.sourceRef.kind && parent.sourceRef.name === kustomization.sourceRef.name && parent.sourceRef.namespace === kustomization.sourceRef.namespace;
  return sameSource ? normalisedPath(parent.path) : undefined;
}

/** The YAML of the checkout that declares this Kustomization, searched under its parent's path when known. */
function declaredKustomization(kustomization: Kustomization, checkout: string, within: string | undefined): { search: KustomizationFileSearch; parentKnown: boolean } {
  const search = findKustomizationFile(checkout, kustomization, { livePath: kustomization.path, ...(within ? { within } : {}) });
  return { search, parentKnown: within !== undefined };
}

/**
 * DESIGN §3 flow 2, worker side: read the Kustomization and its source from the cluster, check they build
 * from the PR's repository, check out what merging would produce (GitHub's test merge), and run
 * `flux diff kustomization` of it against the live state as the controller would apply it: with the PR's
 * declaration of the Kustomization, as its service account, without the files its source ignores.
 * The commit streams in while the cluster is read (checkout-pull-request.ts). The kubeconfig lives under
 * /tmp/<job>, the checkout beside it in /tmp/<job>-checkout; both are removed.
 */
export async function runDiff(deps: DiffDeps, request: DiffRequest): Promise<DiffRun> {
  const access = clusterAccess(deps.config, request.cluster);
  if (!access) throw new SourceMismatch(`cluster \`${request.cluster}\` is not in config.yaml`);
  const { namespace, name } = splitName(request.kustomization);
  // What the diff reads, once the cluster says: with it the checkout fetches only that (scoped-checkout.ts).
  // Settled by diffCheckout, or with undefined when it fails first: the checkout waits for it.
  let settleScope: (scope: CheckoutScope | undefined) => void = () => {};
  const scope = new Promise<CheckoutScope | undefined>((resolve) => (settleScope = resolve));
  // Started first and awaited after the cluster reads, which it overlaps; beside the job folder, which withJobFolder empties.
  const pending = checkoutPullRequest(
    {
      github: deps.github,
      maxTarballBytes: deps.maxTarballBytes ?? DEFAULT_MAX_TARBALL,
      ...(deps.checkoutCacheBytes ? { cache: keptCheckouts(join(deps.workRoot ?? DEFAULT_WORK_ROOT, 'kept'), deps.checkoutCacheBytes) } : {}),
      ...(deps.scopedCheckoutMinBytes !== undefined ? { scopedCheckoutMinBytes: deps.scopedCheckoutMinBytes } : {}),
    },
    {
      repository: request.repository,
      number: request.number,
      folder: join(deps.workRoot ?? DEFAULT_WORK_ROOT, `${request.jobId}-checkout`),
      admit: (pr) => {
        if (pr.fromFork && !request.mayDiffFork) throw new ForkNotAllowed(request.forkRefusal ?? `${pr.repository}#${pr.number} comes from a fork and the fork policy does not allow diffing it`);
      },
      // Known from the PR alone: the download starts without waiting for the compare, which is asked beside it.
      chooseCommit: (_client, pr) => Promise.resolve({ sha: diffedSha(pr) }),
      scope,
      ...(request.repositoryBytes ? { repositoryBytes: request.repositoryBytes } : {}),
      ...(request.installationId ? { installationId: request.installationId } : {}),
    },
  );
  // A process spawn (~20 ms for Go's flux, 180 ms for the stand-in under load) that needs nothing of the job:
  // started beside the download, not after it (issue #20). `--client` reads no kubeconfig; cached per binary.
  const version = fluxVersion({ bin: deps.fluxBin, env: { PATH: deps.fluxPath, HOME: tmpdir() }, cwd: tmpdir() });
  // The PR's changed files are listed as soon as the PR is read and admitted, while its commit downloads
  // (issue #20), not after the checkout: they need only the PR's number and the installation's client.
  const changedFiles = pending.admitted.then(({ client }) => {
    const [owner = '', repo = ''] = request.repository.split('/');
    return listPullRequestFiles(client, { owner, repo, number: request.number });
  });
  // What the report says of the diffed commit (test merge or head, how far behind base): the compare, asked
  // beside the download rather than before it.
  const diffedCommit = pending.admitted.then(({ client, pr }) => chooseDiffedCommit(client, pr));
  // Awaited in diffCheckout once the checkout is ready; a refused PR (fork policy) rejects them all, and the checkout's error is the one told.
  changedFiles.catch(() => undefined);
  diffedCommit.catch(() => undefined);
  let run: DiffRun;
  try {
    run = await diffCheckout(deps, request, { access, namespace, name, version, settleScope }, pending.ready, changedFiles, diffedCommit);
  } catch (err) {
    settleScope(undefined);
    await pending.dispose();
    throw err;
  }
  // Keeping the checkout for the next diff (or removing it) needs nothing of the result: it runs beside the
  // result's write and the job's ending (issue #20); the caller awaits it before its handler returns. dispose never rejects.
  return { ...run, disposed: pending.dispose() };
}

type Target = {
  access: NonNullable<ReturnType<typeof clusterAccess>>;
  namespace: string;
  name: string;
  version: Promise<string | undefined>;
  settleScope: (scope: CheckoutScope | undefined) => void;
};

async function diffCheckout(
  deps: DiffDeps,
  request: DiffRequest,
  { access, namespace, name, version: asked, settleScope }: Target,
  checkedOut: Promise<Checkout>,
  changedFiles: Promise<Awaited<ReturnType<typeof listPullRequestFiles>>>,
  diffedCommit: Promise<DiffedCommit>,
): Promise<DiffRun> {
  const qualified = `${namespace}/${name}`;
  const connection = await resolveClusterAccess(request.cluster, access, { readParameter: deps.readParameter }, request.impersonate ? { impersonate: request.impersonate } : {});

  // Every GitRepository of this repository on the cluster (a root's children often use another one, e.g. per
  // tenant) is read from the checkout when the diff recurses; unreadable, the diff keeps its own source only.
  // Listed as soon as the connection exists, beside the Kustomization's read (issue #20): it needs nothing else.
  const listingSiblings = listGitRepositoriesOf(connection, request.repository).catch((err: unknown) => {
    logger.warn('could not list the GitRepositories of the repository; recursing with the diffed source only', { error: err as Error });
    return [];
  });
  const kustomization = await getKustomization(connection, { namespace, name });
  // The parent's path bounds where the PR declares this Kustomization; with it, the checkout knows what to fetch.
  // Read beside the source (parentPathOf never rejects).
  const readingParentPath = parentPathOf(connection, kustomization);
  void readingParentPath.then((within) => settleScope(within === undefined ? undefined : { target: { namespace, name }, livePath: kustomization.path, declarationsWithin: within }));
  // spec.kubeConfig: the controller on request.cluster applies to another cluster; flux dry-runs there.
  const appliesTo = remoteTarget(deps.config, request.cluster, namespace, kustomization) ?? { cluster: request.cluster, access };
  const remote = appliesTo.cluster !== request.cluster ? appliesTo.cluster : undefined;
  const source: DiffSource = await readDiffSource(connection, kustomization, request);

  const notes = [...source.notes];
  // The controller applies as spec.serviceAccountName; a channel binding never gets more than it allows, so it wins.
  const serviceAccount = kustomization.serviceAccountName ? `system:serviceaccount:${namespace}:${kustomization.serviceAccountName}` : undefined;
  // On a remote cluster the channel's identity applies too: a channel never sees more than its binding allows.
  let fluxConnection = remote ? await resolveClusterAccess(remote, appliesTo.access, { readParameter: deps.readParameter }, request.impersonate ? { impersonate: request.impersonate } : {}) : connection;
  if (serviceAccount && request.impersonate) notes.push(`ran as this channel's Kubernetes identity, not as the Kustomization's service account ${serviceAccount}`);
  else if (serviceAccount) {
    fluxConnection = await resolveClusterAccess(appliesTo.cluster, appliesTo.access, { readParameter: deps.readParameter }, { impersonate: { user: serviceAccount } });
    notes.push(`dry-run as ${serviceAccount} (spec.serviceAccountName), as the controller applies`);
  }
  if (remote) {
    notes.push(
      `dry-run on ${remote}, the cluster spec.kubeConfig (${kustomization.remoteCluster ?? ''}) reaches (clusters.${request.cluster}.remoteClusters); the Kustomization and its status live on ${request.cluster}, so objects the PR removes are not listed, and substituteFrom values are read from ${remote} by flux`,
    );
  }

  if (kustomization.decryption) notes.push('SOPS values are compared by key: flux diff cannot decrypt them, so a changed encrypted value shows only as a changed key');

  // The job folder (HOME, kubeconfig) is made while the commit may still be streaming in: it needs only the cluster.
  return withJobFolder({ ...(deps.workRoot ? { workRoot: deps.workRoot } : {}), jobId: request.jobId, kubeconfigYaml: fluxConnection.kubeconfigYaml(), fluxPath: deps.fluxPath }, async (folder) => {
    const { pr, folder: checkout, unwritten } = await checkedOut;
    const ownSource = `${kustomization.sourceRef.kind}/${kustomization.sourceRef.namespace}/${kustomization.sourceRef.name}`;
    const [siblings, changed, diffed] = await Promise.all([listingSiblings, changedFiles, diffedCommit]);
    const localSources = [...new Set([ownSource, ...siblings.map((s) => `GitRepository/${s.namespace}/${s.name}`)])];
    const warnings = [...(diffed.fallback ? [`${diffed.fallback}: diffed the head, ${diffed.behindBy} commit${diffed.behindBy === 1 ? '' : 's'} behind base`] : []), ...source.warnings(pr.baseRef)];
    warnings.push(...describeCluster(kustomization, diffed.baseSha, source));

    const { search, parentKnown } = declaredKustomization(kustomization, checkout, await readingParentPath);
    if (search.ambiguous) notes.push(`several files declare ${qualified} (${search.ambiguous.join(', ')}): diffed with the live Kustomization's spec`);
    else if (!search.found) notes.push(`no file in this commit declares ${qualified}: diffed with the live Kustomization's spec`);
    const declared = search.found;
    // The remote cluster has no copy of the Kustomization: flux reads it from the PR's file, or cannot diff it.
    if (remote && !declared) throw new RemoteCluster(qualified, request.cluster, kustomization.remoteCluster ?? 'spec.kubeConfig', { undeclared: remote });
    if (remote && declared && !declared.remoteCluster) warnings.push(`this PR removes spec.kubeConfig from ${qualified}: the diff compares with ${remote}; after merge the controller applies it to ${request.cluster}`);
    if (declared && declared.serviceAccountName !== kustomization.serviceAccountName) {
      // The live identity is the one approved so far: a PR must not pick whom the worker impersonates.
      warnings.push(`this PR changes spec.serviceAccountName from ${kustomization.serviceAccountName ?? '(none)'} to ${declared.serviceAccountName ?? '(none)'}: the diff ran as the live one; after merge the controller applies as the new one`);
    }
    if (declared?.remoteCluster && !remote) warnings.push(`this PR makes ${qualified} apply to a remote cluster (spec.kubeConfig): the diff compares with ${request.cluster}, not the cluster it will apply to`);
    const secretRefs = [...kustomization.substituteFrom.filter((from) => from.kind === 'Secret'), ...(declared?.substituteFromSecrets ?? [])];
    const local = await readSubstitutedSecrets(connection, namespace, secretRefs.map((ref) => ({ name: ref.name, optional: ref.optional })));
    // flux reads substituteFrom where it dry-runs: on a remote cluster, those values are masked too.
    const secrets = remote ? bothMaskers(local, await readSubstitutedSecrets(fluxConnection, namespace, secretRefs.map((ref) => ({ name: ref.name, optional: true })))) : local;
    const declaredPath = search.found?.path ?? normalisedPath(kustomization.path);
    const path = resolve(checkout, declaredPath);
    if (relative(checkout, path).startsWith('..')) throw new SourceMismatch(`spec.path ${declaredPath} of ${qualified} points outside the repository`);
    if (!(await isDirectory(path))) throw new PathRemoved(qualified, declaredPath, request.cluster, !search.found && !search.ambiguous && parentKnown);

    // What the PR changes that this diff does not read: "No changes" must not stand for files it never looked at.
    const reach = await reachFrom(checkout, declaredPath);
    const uncovered: string[] = [];
    for (const file of changed.paths) {
      if (file === search.found?.repositoryPath) continue;
      // A file the checkout left out (nothing names it) is in the commit all the same: changed, not removed.
      const exists = unwritten.has(file) || (await stat(join(checkout, file)).catch(() => undefined)) !== undefined;
      if (!covers(reach, file, exists)) uncovered.push(file);
    }
    // Across the PR's targets (its notice's), for the head the notice saw: what another button diffs is not uncovered.
    const prCoverage = await request.prCoverage;
    if (prCoverage && prCoverage.headSha === pr.headSha) {
      const read = new Set(prCoverage.readByTargets);
      const elsewhere = uncovered.filter((file) => read.has(file));
      uncovered.splice(0, uncovered.length, ...uncovered.filter((file) => !read.has(file)));
      if (elsewhere.length > 0) notes.push(`read by this PR's other diff targets, not by this one: ${elsewhere.slice(0, MAX_UNCOVERED_LISTED).join(', ')}${elsewhere.length > MAX_UNCOVERED_LISTED ? ', …' : ''}`);
    }
    if (uncovered.length > 0) {
      const listed = uncovered.slice(0, MAX_UNCOVERED_LISTED).join(', ');
      warnings.push(`${uncovered.length} changed file${uncovered.length === 1 ? ' is' : 's are'} not covered by this diff: ${listed}${uncovered.length > MAX_UNCOVERED_LISTED ? ', …' : ''}`);
    }
    if (changed.truncated) warnings.push('GitHub lists only the first 3,000 changed files: coverage is of those');

    const ignorePaths = await ignorePatterns(checkout, source.ignore);
    if (ignorePaths.length > 0) notes.push(`left out as source-controller does (spec.ignore, .sourceignore): ${ignorePaths.join(', ')}`);
    const target: DiffTarget = {
      name,
      namespace,
      path,
      ...(search.found ? { kustomizationFile: search.found.file } : {}),
      ignorePaths,
      ...(remote ? { ignoreNotFound: true } : {}),
      // Children of a root Kustomization that build from this repository are diffed from the same checkout.
      localSources: localSources.map((source) => ({ source, path: checkout })),
    };
    // The check run goes `in_progress` as flux starts, beside it rather than before it (issue #20): flux does
    // not need it, and the hook never throws (a refused update is logged, the diff goes on).
    const started = request.onFluxStart?.({ headSha: pr.headSha });
    const run = await runFlux({
      bin: deps.fluxBin,
      args: buildDiffArgs({ ...target, timeoutMs: fluxOwnTimeoutMs(deps.fluxTimeoutMs) }),
      env: folder.env,
      cwd: folder.work,
      timeoutMs: deps.fluxTimeoutMs,
      maxOutputBytes: deps.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
    });
    await started;
    // Asked beside the download; awaited only now, after flux diff, which does not need it: a slow
    // `flux version` (a cold binary, a loaded machine) must not hold the diff back.
    const version = await asked;
    // Masked before anything else sees it: the report, flux's error line and the job's error all come from here.
    const outcome = maskOutcome(classifyDiffRun(run), (text) => secrets.mask(text));
    // flux's own warnings (a skipped remote child, …) say what the diff did not cover.
    warnings.push(...fluxWarnings(run.stderr).map((line) => `flux: ${secrets.mask(line)}`));
    const summary = outcome.kind === 'changes' ? parseDiffReport(outcome.report) : undefined;
    const report = outcome.kind === 'changes' ? outcome.report : outcome.kind === 'no-changes' || outcome.kind === 'timeout' ? '' : outcome.message;
    // The result is stored while flux build shows the created objects: it needs the diff only.
    const stored = request.onDiffed?.({ report, outcome, ...(summary ? { summary } : {}), headSha: pr.headSha });
    stored?.catch(() => undefined); // awaited by the caller, which owns it
    // flux diff names created objects only; their content comes from one flux build of the same target.
    // fluxTimeoutMs is read again: in Lambda it is what the invocation has left.
    const killTimerMs = deps.fluxTimeoutMs;
    const created = await createdContents(
      { bin: deps.fluxBin, folder, target: { ...target, ...(remote ? { dryRun: true } : {}) }, timeoutMs: killTimerMs, fluxTimeoutMs: fluxOwnTimeoutMs(killTimerMs), maxOutputBytes: deps.maxOutputBytes ?? DEFAULT_MAX_OUTPUT },
      summary?.created ?? [],
      (text) => secrets.mask(text),
    );
    if (created.note) notes.push(created.note);
    if (secrets.touched) notes.push('values of postBuild.substituteFrom Secrets are masked in this report');
    if (secrets.unmasked > 0) notes.push(`${secrets.unmasked} substituteFrom Secret value(s) shorter than 4 characters are not masked`);
    logger.info('flux diff finished', { outcome: outcome.kind, diffed: diffed.kind, exitCode: run.exitCode, durationMs: run.durationMs, stdoutTruncated: run.truncated });
    return {
      pr: { repository: pr.repository, number: pr.number, title: pr.title, url: pr.url, headSha: pr.headSha, fromFork: pr.fromFork, headRepository: pr.headRepository },
      path: declaredPath,
      outcome,
      ...(summary ? { summary } : {}),
      report,
      created: created.contents,
      durationMs: run.durationMs,
      ...(stored ? { stored } : {}),
      context: diffContext(diffed, pr, kustomization, { warnings, notes, uncovered: uncovered.slice(0, MAX_UNCOVERED_LISTED), uncoveredCount: uncovered.length, substitutedSecrets: secrets.touched, ...(version ? { fluxVersion: version } : {}), ...(search.found ? { kustomizationFile: search.found.repositoryPath } : {}) }),
    };
  });
}

/**
 * Where a spec.kubeConfig Kustomization applies: the configured cluster its Secret or ConfigMap maps to in
 * `clusters.<cluster>.remoteClusters`. undefined for a Kustomization that applies where it lives; refused
 * (RemoteCluster) when config does not say which cluster it reaches.
 */
function remoteTarget(config: Config, cluster: string, namespace: string, kustomization: Kustomization): { cluster: string; access: ClusterAccess } | undefined {
  if (!kustomization.remoteCluster) return undefined;
  const ref = kustomization.kubeConfigRef;
  const mapped = ref ? remoteClusterOf(config, cluster, { namespace, name: ref.name }) : undefined;
  const access = mapped ? clusterAccess(config, mapped) : undefined;
  const qualified = `${namespace}/${kustomization.name}`;
  if (!mapped || !access) throw new RemoteCluster(qualified, cluster, kustomization.remoteCluster, { unmapped: ref ? `\`${namespace}/${ref.name}\`` : 'its spec.kubeConfig' });
  return { cluster: mapped, access };
}

function bothMaskers(a: SecretMasker, b: SecretMasker): SecretMasker {
  return {
    mask: (text) => b.mask(a.mask(text)),
    get touched() {
      return a.touched || b.touched;
    },
    unmasked: a.unmasked + b.unmasked,
  };
}

function maskOutcome(outcome: DiffOutcome, mask: (text: string) => string): DiffOutcome {
  if (outcome.kind === 'changes') return { kind: 'changes', report: mask(outcome.report) };
  if ('message' in outcome) return { ...outcome, message: mask(outcome.message) };
  return outcome;
}

function diffContext(
  diffed: DiffedCommit,
  pr: PullRequestInfo,
  kustomization: Kustomization,
  extra: Pick<DiffContext, 'warnings' | 'notes' | 'uncovered' | 'uncoveredCount' | 'substitutedSecrets' | 'kustomizationFile' | 'fluxVersion'>,
): DiffContext {
  return {
    diffedSha: diffed.sha,
    diffed: diffed.kind,
    behindBy: diffed.behindBy,
    baseRef: pr.baseRef,
    baseSha: diffed.baseSha,
    ...(kustomization.lastAppliedRevision ? { appliedRevision: kustomization.lastAppliedRevision } : {}),
    ...extra,
    privateRepository: pr.privateRepository ?? false,
  };
}
