import type { GithubClient } from './client';
import { PullRequestNotFound } from './errors';
import { pullRequestInfoFromPayload, type PullRequestInfo } from './pull-request-info';
import { statusOf } from './request-error';

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

/** GET /repos/{owner}/{repo}/pulls/{number}; 404 (absent, or a repository the installation cannot see) is PullRequestNotFound. */
export async function getPullRequest(client: GithubClient, { owner, repo, number }: PullRequestRef): Promise<PullRequestInfo> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: number });
    return pullRequestInfoFromPayload(data);
  } catch (err) {
    if (statusOf(err) === 404) throw new PullRequestNotFound(`${owner}/${repo}`, number, { cause: err });
    throw err;
  }
}
