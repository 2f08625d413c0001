import { rm } from 'node:fs/promises';
import { getPullRequest, listTree, PullRequestNotFound, streamTarball, type GithubApp, type GithubClient, type PullRequestInfo } from '../../adapters/github';
import { logger } from '../../core/log';
import type { CheckoutCache } from './checkout-cache';
import { extractTarball, type Extracted, type ExtractLimits } from './extract-tarball';
import { contentsAt, NamedInputsUnavailable, writeNamedInputs } from './named-inputs';
import { checkOutScope, scopeOrTarball, type CheckoutScope } from './scoped-checkout';

export interface CheckoutDeps {
  github: () => Promise<GithubApp>;
  /** Compressed bytes past which the download is aborted (TarballTooLarge). */
  maxTarballBytes: number;
  extractLimits?: Partial<ExtractLimits>;
  /** Checkouts kept between warm invocations: the last one of the repository is brought to the new commit when cheaper. */
  cache?: CheckoutCache;
  /** Repositories from this size are checked out file by file when their scope is known (scoped-checkout.ts); absent: never. */
  scopedCheckoutMinBytes?: number;
}

export interface CheckoutRequest<C extends { sha: string } = { sha: string }> {
  /** `owner/repo` */
  repository: string;
  number: number;
  /** Emptied first; removed by `dispose`. */
  folder: string;
  /** Judges the PR before any of its code is downloaded (the fork policy); throws to refuse. */
  admit: (pr: PullRequestInfo) => void;
  /** Which commit of the PR to check out (run-diff picks GitHub's test merge); the head when absent. */
  chooseCommit?: (client: GithubClient, pr: PullRequestInfo) => Promise<C>;
  /**
   * What the cluster says the diff reads, once it is read; undefined when it cannot say (no parent
   * Kustomization known). Awaited before the tarball starts: with it, only the build's reach is fetched.
   */
  scope?: Promise<CheckoutScope | undefined>;
  /** The repository's size as last seen (the PR's notice): under scopedCheckoutMinBytes, the tarball is fetched without listing the tree. */
  repositoryBytes?: Promise<number | undefined>;
  /**
   * The App installation the PR's webhook delivery came from (its notice): the PR is read as it, without
   * first asking GitHub which installation covers the repository, a round trip a new container pays.
   */
  installationId?: Promise<number | undefined>;
}

export interface Checkout<C extends { sha: string } = { sha: string }> {
  pr: PullRequestInfo;
  /** The commit checked out, as chooseCommit described it. */
  commit: C;
  /** The installation's client for the repository, for the caller's further reads of the PR. */
  client: GithubClient;
  /** The repository at that commit, only what flux can read (flux-inputs.ts). */
  folder: string;
  extracted: Omit<Extracted, 'unwritten'>;
  /** Files of the commit left out of `folder` that a kustomization could name, with their sizes: they exist, unread. */
  unwritten: ReadonlyMap<string, number>;
  /** Set when a kept checkout was brought to this commit instead of downloading the tarball. */
  reused?: { changed: number; written: number; bytes: number };
  /** Set when only the build's reach was fetched, file by file (scoped-checkout.ts); such a checkout is not kept. */
  scoped?: { files: number; bytes: number; treeFiles: number };
}

export interface PendingCheckout<C extends { sha: string } = { sha: string }> {
  /** Settles once the checkout is on disk, or with why it is not (UnsafeTarball, TarballTooLarge, ForkNotAllowed…). */
  ready: Promise<Checkout<C>>;
  /** Settles once the PR is read and admitted, before its code downloads: the caller's other reads of the PR start there. */
  admitted: Promise<{ pr: PullRequestInfo; client: GithubClient }>;
  /** Stops the download if it is still running, waits for it to stop, and removes the folder. */
  dispose: () => Promise<void>;
}

/**
 * Starts reading the PR and streaming the chosen commit (the head by default) into `folder` (installation token, PR, tarball, one
 * pass through gunzip and tar), and returns at once, so the worker's cluster reads run meanwhile
 * (issue #20: the download is most of a diff's overhead). The caller awaits `ready` when it needs the
 * code and always calls `dispose` afterwards.
 */
export function checkoutPullRequest<C extends { sha: string }>(deps: CheckoutDeps, request: CheckoutRequest<C>): PendingCheckout<C> {
  const controller = new AbortController();
  let admit: (read: { pr: PullRequestInfo; client: GithubClient }) => void = () => {};
  const admitted = new Promise<{ pr: PullRequestInfo; client: GithubClient }>((resolve) => (admit = resolve));
  const ready = checkout(deps, request, controller.signal, admit);
  // A PR refused or unreadable never admits: `admitted` then settles with `ready`'s error.
  const admittedOrFailed = Promise.race([admitted, ready.then(() => admitted)]);
  // Awaited by the caller or by dispose; this only keeps an early failure from being reported as unhandled.
  ready.catch(() => undefined);
  admittedOrFailed.catch(() => undefined);
  return {
    ready,
    admitted: admittedOrFailed,
    dispose: async () => {
      controller.abort();
      const done = await ready.catch(() => undefined);
      // A scoped checkout holds one Kustomization's reach: the next diff may need another.
      if (done && deps.cache && !done.scoped) {
        // Kept for the next diff of this repository (a rename); removed below if that fails.
        const kept = await deps.cache.keep(request.repository, done.commit.sha, request.folder, done.reused?.bytes ?? done.extracted.writtenBytes, done.unwritten).then(
          () => true,
          (err: unknown) => logger.warn('could not keep the checkout', { folder: request.folder, error: err as Error }),
        );
        if (kept) return;
      }
      await rm(request.folder, { recursive: true, force: true }).catch((err: unknown) => logger.warn('could not remove the checkout', { folder: request.folder, error: err as Error }));
    },
  };
}

/**
 * The PR, read as whichever installation is known first: the one its notice names (a read of our own
 * table), or the one GitHub says covers the repository (a round trip a new container pays; cached after).
 * When the notice's no longer answers for the repository (the App reinstalled, the repository moved out
 * of it: a 404), GitHub's is used.
 */
async function readPullRequest(app: GithubApp, ref: { owner: string; repo: string; number: number }, noticed: Promise<number | undefined> | undefined): Promise<{ client: GithubClient; pr: PullRequestInfo }> {
  const lookedUp = app.forRepository(ref.owner, ref.repo);
  lookedUp.catch(() => undefined);
  const fromNotice = (noticed ?? Promise.resolve(undefined)).then((id) => (id === undefined ? Promise.reject(new Error('the notice names no installation')) : app.forInstallation(id)));
  // The first that answers; when neither does, the lookup's own error (AppNotInstalled, AppAuthFailed).
  const client = await Promise.any([lookedUp, fromNotice]).catch(() => lookedUp);
  try {
    return { client, pr: await getPullRequest(client, ref) };
  } catch (err) {
    const fallback = await lookedUp.catch(() => client);
    // A token for an installation that is gone is a 404, as is a repository it no longer covers.
    if (!(err instanceof PullRequestNotFound) || fallback === client) throw err;
    logger.info('the installation the PR notice names does not answer for the repository; reading it as the one GitHub names', { repository: `${ref.owner}/${ref.repo}` });
    return { client: fallback, pr: await getPullRequest(fallback, ref) };
  }
}

async function checkout<C extends { sha: string }>(
  deps: CheckoutDeps,
  request: CheckoutRequest<C>,
  signal: AbortSignal,
  admitted: (read: { pr: PullRequestInfo; client: GithubClient }) => void,
): Promise<Checkout<C>> {
  const [owner = '', repo = ''] = request.repository.split('/');
  const { client, pr } = await readPullRequest(await deps.github(), { owner, repo, number: request.number }, request.installationId);
  request.admit(pr);
  admitted({ pr, client });
  const commit = request.chooseCommit ? await request.chooseCommit(client, pr) : ({ sha: pr.headSha } as C);
  signal.throwIfAborted();
  const reused = deps.cache ? await deps.cache.bringTo(client, { repository: request.repository, sha: commit.sha, folder: request.folder }) : undefined;
  if (reused) {
    const { unwritten, ...counts } = reused;
    logger.info('PR checked out from the kept checkout', { repository: pr.repository, number: pr.number, sha: commit.sha, ...counts });
    return { pr, commit, client, folder: request.folder, extracted: { entries: 0, inflatedBytes: 0, files: counts.written, writtenBytes: 0 }, unwritten, reused: counts };
  }
  // The tree is listed while the cluster says what the diff reads: one GitHub call, spent even when it cannot say.
  const minBytes = deps.scopedCheckoutMinBytes;
  const lastSeenBytes = request.repositoryBytes && minBytes !== undefined ? await untilAborted(request.repositoryBytes, signal) : undefined;
  const knownSmall = lastSeenBytes !== undefined && minBytes !== undefined && lastSeenBytes < minBytes;
  if (request.scope && minBytes !== undefined && !knownSmall) {
    const decided = await untilAborted(scopeOrTarball(listTree(client, { owner, repo, ref: commit.sha }), request.scope, minBytes), signal);
    const scoped = 'reason' in decided ? { kind: 'tarball' as const, reason: decided.reason } : await checkOutScope(client, { owner, repo, sha: commit.sha, folder: request.folder }, decided.files, decided.scope);
    if (scoped.kind === 'written') {
      const { unwritten, kind: _, ...counts } = scoped;
      logger.info('PR checked out file by file: the reach of the diffed Kustomization', { repository: pr.repository, number: pr.number, sha: commit.sha, ...counts });
      return { pr, commit, client, folder: request.folder, extracted: { entries: 0, inflatedBytes: 0, files: counts.files, writtenBytes: counts.bytes }, unwritten, scoped: counts };
    }
    logger.info('checking the PR out from its tarball', { repository: pr.repository, number: pr.number, reason: scoped.reason });
    signal.throwIfAborted();
  }
  // The base repository serves fork PRs' heads and test merges too (refs/pull/N/…), with our installation token.
  const download = (writeIfNamed: boolean) =>
    streamTarball(client, { owner, repo, ref: commit.sha, maxBytes: deps.maxTarballBytes, signal }, (archive) => extractTarball(archive, request.folder, { ...deps.extractLimits, writeIfNamed }));
  let { unwritten, ...extracted } = await download(false);
  try {
    const named = await writeNamedInputs(request.folder, unwritten, contentsAt(client, { owner, repo, ref: commit.sha }));
    extracted.files += named.files;
    extracted.writtenBytes += named.bytes;
  } catch (err) {
    if (!(err instanceof NamedInputsUnavailable)) throw err;
    // Rare (many large generator inputs, or GitHub will not serve one inline): the tarball again, writing every input.
    logger.info('checking the commit out again with every input written', { repository: pr.repository, number: pr.number, reason: err.message });
    signal.throwIfAborted();
    ({ unwritten, ...extracted } = await download(true));
  }
  logger.info('PR checked out', { repository: pr.repository, number: pr.number, sha: commit.sha, ...extracted, unwritten: unwritten.size });
  return { pr, commit, client, folder: request.folder, extracted, unwritten };
}

/** `promise`, or the abort's reason once `signal` aborts first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
