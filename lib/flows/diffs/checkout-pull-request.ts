import { rm } from 'node:fs/promises';
import { getPullRequest, streamTarball, type GithubApp, type PullRequestInfo } from '../../adapters/github';
import { logger } from '../../core/log';
import { extractTarball, type Extracted, type ExtractLimits } from './extract-tarball';

export interface CheckoutDeps {
  github: () => Promise<GithubApp>;
  /** Compressed bytes past which the download is aborted (TarballTooLarge). */
  maxTarballBytes: number;
  extractLimits?: Partial<ExtractLimits>;
}

export interface CheckoutRequest {
  /** `owner/repo` */
  repository: string;
  number: number;
  /** Emptied first; removed by `dispose`. */
  folder: string;
  /** Judges the PR before any of its code is downloaded (the fork policy); throws to refuse. */
  admit: (pr: PullRequestInfo) => void;
}

export interface Checkout {
  pr: PullRequestInfo;
  /** The repository at the PR's head, only what flux can read (flux-inputs.ts). */
  folder: string;
  extracted: Extracted;
}

export interface PendingCheckout {
  /** Settles once the checkout is on disk, or with why it is not (UnsafeTarball, TarballTooLarge, ForkNotAllowed…). */
  ready: Promise<Checkout>;
  /** Stops the download if it is still running, waits for it to stop, and removes the folder. */
  dispose: () => Promise<void>;
}

/**
 * Starts reading the PR and streaming its head into `folder` (installation token, PR, tarball, one
 * pass through gunzip and tar), and returns at once, so the worker's cluster reads run meanwhile
 * (issue #20: the download is most of a diff's overhead). The caller awaits `ready` when it needs the
 * code and always calls `dispose` afterwards.
 */
export function checkoutPullRequest(deps: CheckoutDeps, request: CheckoutRequest): PendingCheckout {
  const controller = new AbortController();
  const ready = checkout(deps, request, controller.signal);
  // Awaited by the caller or by dispose; this only keeps an early failure from being reported as unhandled.
  ready.catch(() => undefined);
  return {
    ready,
    dispose: async () => {
      controller.abort();
      await ready.catch(() => undefined);
      await rm(request.folder, { recursive: true, force: true }).catch((err: unknown) => logger.warn('could not remove the checkout', { folder: request.folder, error: err as Error }));
    },
  };
}

async function checkout(deps: CheckoutDeps, request: CheckoutRequest, signal: AbortSignal): Promise<Checkout> {
  const [owner = '', repo = ''] = request.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const pr = await getPullRequest(client, { owner, repo, number: request.number });
  request.admit(pr);
  signal.throwIfAborted();
  // The base repository serves the head SHA of fork PRs too (refs/pull/N/head), with our installation token.
  const extracted = await streamTarball(client, { owner, repo, ref: pr.headSha, maxBytes: deps.maxTarballBytes, signal }, (archive) =>
    extractTarball(archive, request.folder, deps.extractLimits),
  );
  logger.info('PR checked out', { repository: pr.repository, number: pr.number, ...extracted });
  return { pr, folder: request.folder, extracted };
}
