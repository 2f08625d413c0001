import * as z from '../../core/validation';
import type { GithubClient } from './client';
import { GithubError } from './errors';

export interface Comparison {
  /** Commits on `base` that `head` does not have: how far the PR is behind its base branch. */
  behindBy: number;
  aheadBy: number;
  /** The commit `base` resolved to: the base branch's tip now, not when the PR was opened. */
  baseSha: string;
}

const comparisonSchema = z.looseObject({
  ahead_by: z.int(),
  behind_by: z.int(),
  base_commit: z.looseObject({ sha: z.string().check(z.minLength(1)) }),
});

/**
 * GET /repos/{owner}/{repo}/compare/{base}...{head}. `head` may be a fork PR's head SHA: the base
 * repository serves it through refs/pull/N/head. `per_page: 1` keeps GitHub from listing up to 250 commits
 * we do not read.
 */
export async function compareCommits(client: GithubClient, { owner, repo, base, head }: { owner: string; repo: string; base: string; head: string }): Promise<Comparison> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: 1 });
  const parsed = comparisonSchema.safeParse(data);
  if (!parsed.success) throw new GithubError(`GitHub's comparison of ${base}...${head.slice(0, 7)} in ${owner}/${repo} does not have the expected shape`);
  return { behindBy: parsed.data.behind_by, aheadBy: parsed.data.ahead_by, baseSha: parsed.data.base_commit.sha };
}
