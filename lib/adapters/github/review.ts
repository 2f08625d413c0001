import { setTimeout as sleep } from 'node:timers/promises';
import { maskSecrets } from '../../core/sanitise';
import type { GithubClient } from './client';
import { PullRequestNotFound, ReviewRefused } from './errors';
import type { PullRequestRef } from './pull-request';
import { githubMessage, statusOf } from './request-error';

export interface Approval extends PullRequestRef {
  /** The SHA that was diffed: GitHub refuses the review if it is not the PR's head. */
  commitId: string;
  /** Names the Slack user who approved: GitHub records the app as the reviewer. */
  body: string;
}

/** GitHub's refusals, explained for the person who clicked Approve in Slack. */
const HINTS: [RegExp, string][] = [
  [/own pull request/i, 'GitHub never lets the author of a pull request approve it, and this PR was opened by the Fluxline app'],
  [/commit|sha/i, 'the diffed commit is no longer the head of the pull request: run the diff again'],
  [/closed|merged/i, 'the pull request is already closed'],
  [/not accessible by integration/i, 'the Fluxline GitHub App needs the "Pull requests: write" permission on this repository'],
];

/** POST /repos/{owner}/{repo}/pulls/{number}/reviews with event APPROVE, pinned to the diffed commit. */
export async function approvePullRequest(client: GithubClient, approval: Approval): Promise<{ url: string; id: number }> {
  const { owner, repo, number } = approval;
  const body = maskSecrets(approval.body);
  try {
    return await approveOnce(client, approval, body);
  } catch (err) {
    const status = statusOf(err);
    if (status === 404) throw new PullRequestNotFound(`${owner}/${repo}`, number, { cause: err });
    if (status === 422 || status === 403) {
      const message = githubMessage(err) ?? 'Unprocessable Entity';
      const hint = HINTS.find(([pattern]) => pattern.test(message))?.[1];
      throw new ReviewRefused(`${owner}/${repo}`, number, message, hint, { cause: err });
    }
    throw err;
  }
}

interface ListedReview {
  id: number;
  html_url: string;
  body?: string | null;
  state: string;
  commit_id?: string | null;
  user: { type: string } | null;
}

/** Attempts of an approval; the client does not retry it itself (client.ts REVIEW). */
const APPROVE_ATTEMPTS = 3;
const APPROVE_BACKOFF_MS = 250;

/**
 * Approves once (DESIGN §3 "Exactly once, visibly"). A 5xx or a timeout does not say whether GitHub
 * recorded the review, so before another try the PR's reviews are read for ours: an app's APPROVED
 * review of this commit with this body (it names the Slack user and the diff), made by an attempt whose
 * answer was lost, is the approval.
 */
async function approveOnce(client: GithubClient, { owner, repo, number, commitId }: Approval, body: string): Promise<{ url: string; id: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await client.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner, repo, pull_number: number, commit_id: commitId, body, event: 'APPROVE' });
      // GitHub's schema allows int64 ids; JSON parsing gives a number, and ours fit in one.
      return { url: data.html_url, id: Number(data.id) };
    } catch (err) {
      const status = statusOf(err);
      // Octokit reports network failures and timeouts with a status >= 500 too.
      if ((status !== undefined && status < 500) || attempt >= APPROVE_ATTEMPTS) throw err;
      await sleep(attempt ** 2 * APPROVE_BACKOFF_MS);
      const reviews: ListedReview[] = await client.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { owner, repo, pull_number: number, per_page: 100 });
      const earlier = reviews.find((r) => r.user?.type === 'Bot' && r.state === 'APPROVED' && r.commit_id === commitId && r.body === body);
      if (earlier) return { url: earlier.html_url, id: Number(earlier.id) };
    }
  }
}
