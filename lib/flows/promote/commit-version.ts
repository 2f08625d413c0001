import type { GitopsConfig } from '../../core/config';
import { branchHead, createBranch, FileChanged, openPullRequest, updateFile, type GithubClient, type RepositoryRef } from '../../adapters/github';
import { logger } from '../../core/log';
import { githubCodeSpan } from '../../core/sanitise';
import { relocate, type AppLocation } from './locate-app';
import { spliceVersion } from './splice-version';

export interface VersionChange {
  app: string;
  version: string;
  environment: string;
  action: 'promote' | 'rollback';
  folder: string;
  /** How the requester is named on GitHub, without an `@` that would ping: `Slack user alice (U0ADMIN)`. */
  requester: string;
  jobId: string;
}

export type CommitResult =
  | { kind: 'unchanged'; path: string }
  | { kind: 'commit'; path: string; from: string; branch: string; commitSha: string; commitUrl: string }
  | { kind: 'pull-request'; path: string; from: string; branch: string; commitSha: string; commitUrl: string; prNumber: number; prUrl: string };

const atVersion = (location: AppLocation, version: string) => location.targets.every((target) => target.current === version);
const currentOf = (location: AppLocation) => [...new Set(location.targets.map((target) => target.current))].join(', ');

function commitMessage(change: VersionChange, from: string): string {
  const verb = change.action === 'promote' ? 'Promote' : 'Roll back';
  return `${verb} ${change.app} to ${change.version} on ${change.environment} (was ${from})\n\nRequested by ${change.requester} via Fluxline (job ${change.jobId}).`;
}

/** `fluxline/promote-podinfo-6.5.4-prod`, with what git refuses in a ref name replaced. */
export function branchNameOf(change: Pick<VersionChange, 'app' | 'version' | 'environment' | 'action'>): string {
  return `fluxline/${change.action}-${change.app}-${change.version}-${change.environment}`.replace(/[^\w./-]/g, '_').replace(/\.{2,}/g, '.');
}

/**
 * Writes the new version as one commit through the contents API. The update names the blob sha that
 * was read; when the file moved meanwhile (409) it is read again once and the edit redone on the new
 * text, so a concurrent commit is never overwritten.
 */
async function commitOnce(client: GithubClient, repository: RepositoryRef, branch: string, change: VersionChange, first: AppLocation): Promise<CommitResult> {
  let location = first;
  for (let attempt = 0; ; attempt++) {
    if (atVersion(location, change.version)) return { kind: 'unchanged', path: location.path };
    const from = currentOf(location);
    const text = spliceVersion(location.path, location.text, location.targets, change.version);
    try {
      const written = await updateFile(client, { ...repository, path: location.path, branch, text, sha: location.sha, message: commitMessage(change, from) });
      return { kind: 'commit', path: location.path, from, branch, ...written };
    } catch (err) {
      if (!(err instanceof FileChanged) || attempt > 0) throw err;
      logger.info('file changed while promoting; reading it again', { path: location.path, branch });
      location = await relocate(client, repository, branch, change.folder, change.app, location);
    }
  }
}

/** Commits on `gitops.branch`, or (mode pull-request) on a new branch with a PR into it. */
export async function commitVersion(client: GithubClient, gitops: GitopsConfig, location: AppLocation, change: VersionChange): Promise<CommitResult> {
  const [owner = '', repo = ''] = gitops.repository.split('/');
  const repository = { owner, repo };
  if (gitops.mode === 'commit') return commitOnce(client, repository, gitops.branch, change, location);

  if (atVersion(location, change.version)) return { kind: 'unchanged', path: location.path };
  const branch = branchNameOf(change);
  await createBranch(client, { ...repository, branch, sha: await branchHead(client, { ...repository, branch: gitops.branch }) });
  const committed = await commitOnce(client, repository, branch, change, location);
  if (committed.kind !== 'commit') return committed;
  const verb = change.action === 'promote' ? 'Promote' : 'Roll back';
  const pull = await openPullRequest(client, {
    ...repository,
    head: branch,
    base: gitops.branch,
    title: `${verb} ${change.app} to ${change.version} on ${change.environment}`,
    // `from` and the path are read from the repository: outside text, kept inside code spans it cannot end.
    body: `${verb} ${githubCodeSpan(change.app)} from ${githubCodeSpan(committed.from)} to ${githubCodeSpan(change.version)} on ${githubCodeSpan(change.environment)} (${githubCodeSpan(committed.path)}).\n\nRequested by ${change.requester} via Fluxline (job ${githubCodeSpan(change.jobId)}). Merging this pull request deploys it.`,
  });
  return { ...committed, kind: 'pull-request', prNumber: pull.number, prUrl: pull.url };
}
