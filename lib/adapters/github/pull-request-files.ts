import type { GithubClient } from './client';
import { PullRequestNotFound } from './errors';
import type { PullRequestRef } from './pull-request';
import { statusOf } from './request-error';

/** GitHub lists at most 3,000 files of a pull request (docs: rest/pulls/pulls#list-pull-requests-files). */
export const MAX_LISTED_FILES = 3_000;

export interface PullRequestFiles {
  /** Every changed path, with the old path of renamed files: moving a manifest out of a watched folder changes that folder. */
  paths: string[];
  /** The PR changes more files than GitHub lists; `paths` is incomplete. */
  truncated: boolean;
}

/** Walks every page (100 files each, following the Link header) up to GitHub's 3,000-file cap. */
export async function listPullRequestFiles(client: GithubClient, { owner, repo, number }: PullRequestRef): Promise<PullRequestFiles> {
  const paths = new Set<string>();
  let listed = 0;
  try {
    const pages = client.paginate.iterator('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { owner, repo, pull_number: number, per_page: 100 });
    for await (const { data } of pages) {
      for (const file of data) {
        paths.add(file.filename);
        if (file.previous_filename) paths.add(file.previous_filename);
      }
      listed += data.length;
      if (listed >= MAX_LISTED_FILES) break;
    }
    // At the cap the list says nothing about what follows; the PR's changed_files does.
    const truncated = listed >= MAX_LISTED_FILES && (await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: number })).data.changed_files > listed;
    return { paths: [...paths], truncated };
  } catch (err) {
    if (statusOf(err) === 404) throw new PullRequestNotFound(`${owner}/${repo}`, number, { cause: err });
    throw err;
  }
}
