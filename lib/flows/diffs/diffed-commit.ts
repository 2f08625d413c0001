import { compareCommits, type GithubClient, type PullRequestInfo } from '../../adapters/github';

/** Which commit the diff checks out, and what the report must say about it. */
export interface DiffedCommit {
  sha: string;
  /** `merge`: GitHub's test merge of the head into the base branch, what merging would deploy. `head`: the PR head alone. */
  kind: 'merge' | 'head';
  /** Why the head was diffed instead of the merge. */
  fallback?: string;
  /** Commits on the base branch the head does not have. */
  behindBy: number;
  /** The base branch's tip now. */
  baseSha: string;
}

/**
 * The PR head alone is what a branch looked like when it was cut: every commit merged into the base since
 * then would show as reverted. GitHub's test merge (`merge_commit_sha`, refs/pull/N/merge) is what merging
 * produces, so that is what is diffed, when GitHub says it is current (`mergeable: true`). Otherwise
 * (conflicts, or GitHub still computing) the head is diffed and labelled with how far behind it is.
 */
/** GitHub's test merge when GitHub says it is current (`mergeable: true`); undefined otherwise. */
export function currentTestMerge(pr: Pick<PullRequestInfo, 'mergeable' | 'mergeCommitSha'>): string | undefined {
  return pr.mergeable === true && pr.mergeCommitSha ? pr.mergeCommitSha : undefined;
}

/** The commit chooseDiffedCommit picks, known from the PR alone: the checkout starts on it while the compare is asked. */
export function diffedSha(pr: Pick<PullRequestInfo, 'mergeable' | 'mergeCommitSha' | 'headSha'>): string {
  return currentTestMerge(pr) ?? pr.headSha;
}

export async function chooseDiffedCommit(client: GithubClient, pr: PullRequestInfo): Promise<DiffedCommit> {
  const [owner = '', repo = ''] = pr.repository.split('/');
  const comparison = await compareCommits(client, { owner, repo, base: pr.baseRef, head: pr.headSha });
  const common = { behindBy: comparison.behindBy, baseSha: comparison.baseSha };
  const merge = currentTestMerge(pr);
  if (merge) return { sha: merge, kind: 'merge', ...common };
  const fallback =
    pr.mergeable === false
      ? `GitHub has no test merge: the PR conflicts with "${pr.baseRef}"`
      : `GitHub has not computed the test merge with "${pr.baseRef}" yet`;
  return { sha: pr.headSha, kind: 'head', fallback, ...common };
}

/** "the merge of head `abc1234` into `main`" or "head, 3 commits behind base". */
export function describeDiffedCommit(commit: DiffedCommit, pr: Pick<PullRequestInfo, 'headSha' | 'baseRef'>): string {
  if (commit.kind === 'merge') return `the test merge "${commit.sha.slice(0, 7)}" of head "${pr.headSha.slice(0, 7)}" into "${pr.baseRef}"`;
  return `"${commit.sha.slice(0, 7)}" (head, ${commit.behindBy} commit${commit.behindBy === 1 ? '' : 's'} behind base)`;
}
