import { setTimeout as sleep } from 'node:timers/promises';
import { maskSecrets } from '../../core/sanitise';
import type { GithubClient } from './client';
import { CommentTooLong, GithubError, PullRequestNotFound } from './errors';
import type { PullRequestRef } from './pull-request';
import { githubMessage, statusOf } from './request-error';

/** GitHub answers 422 "body is too long (maximum is 65536 characters)" to longer comment bodies. */
export const MAX_COMMENT_CHARS = 65_536;

export interface StickyComment extends PullRequestRef {
  /** A hidden HTML comment that names this comment among all others, e.g. `<!-- fluxline:diff:stage:flux-system/apps -->`. */
  marker: string;
  body: string;
}

export interface StickyCommentResult {
  url: string;
  created: boolean;
  id: number;
}

interface IssueComment {
  id: number;
  html_url: string;
  body?: string;
  user: { type: string } | null;
  performed_via_github_app?: unknown;
}

/** The body posted contains the marker exactly once: the caller's own copy, or one prepended. */
function withMarker(marker: string, body: string): string {
  const occurrences = body.split(marker).length - 1;
  if (occurrences === 1) return body;
  return `${marker}\n${body.split(marker).join('')}`;
}

/** Only a comment an app wrote is ours to overwrite: a person quoting the marker keeps their comment. */
function isOurs(comment: IssueComment, marker: string): boolean {
  const byApp = comment.user?.type === 'Bot' || Boolean(comment.performed_via_github_app);
  return byApp && (comment.body ?? '').includes(marker);
}

/**
 * DESIGN §3 flow 3: one comment per marker on the PR, edited in place on every post, so the PR
 * conversation keeps a single current report instead of a pile of stale ones.
 */
export async function upsertStickyComment(client: GithubClient, request: StickyComment): Promise<StickyCommentResult> {
  const { owner, repo, number, marker } = request;
  if (!/^<!--[\s\S]*-->$/.test(marker) || marker.slice(4, -3).includes('--')) throw new GithubError(`the sticky comment marker must be one hidden HTML comment, got ${JSON.stringify(marker.slice(0, 80))}`);
  // The outbound guard of DESIGN §3: whatever the caller built, no credential is posted on a PR.
  const body = withMarker(marker, maskSecrets(request.body));
  // UTF-16 length is never below the character count GitHub checks, so what passes here passes there.
  if (body.length > MAX_COMMENT_CHARS) throw new CommentTooLong(body.length, MAX_COMMENT_CHARS);

  try {
    const existing = await findOurs(client, request);
    // Editing to the same text changes nothing on GitHub; skip the write and its rate-limit cost.
    if (existing?.body === body) return { url: existing.html_url, created: false, id: existing.id };
    if (existing) {
      const updated = await updateComment(client, request, existing.id, body);
      if (updated) return { url: updated.html_url, created: false, id: updated.id };
    }
    return await createComment(client, request, body);
  } catch (err) {
    if (statusOf(err) === 404) throw new PullRequestNotFound(`${owner}/${repo}`, number, { cause: err });
    // GitHub counts characters differently from UTF-16 in rare cases; its own verdict wins.
    if (statusOf(err) === 422 && /too long/i.test(githubMessage(err) ?? '')) throw new CommentTooLong(body.length, MAX_COMMENT_CHARS, { cause: err });
    throw err;
  }
}

/** PATCH the comment; undefined when it was deleted since we listed it (then a new one is created). */
async function updateComment(client: GithubClient, { owner, repo }: PullRequestRef, commentId: number, body: string): Promise<{ html_url: string; id: number } | undefined> {
  try {
    const { data } = await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner, repo, comment_id: commentId, body });
    // GitHub's schema allows int64 ids; JSON parsing gives a number.
    return { html_url: data.html_url, id: Number(data.id) };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** Our comment with this marker on the PR, if there is one. */
async function findOurs(client: GithubClient, { owner, repo, number, marker }: StickyComment): Promise<IssueComment | undefined> {
  const comments: IssueComment[] = await client.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, per_page: 100 });
  return comments.find((comment) => isOurs(comment, marker));
}

/** Attempts of a create; the client does not retry it itself (client.ts ISSUE_COMMENT). */
const CREATE_ATTEMPTS = 3;
const CREATE_BACKOFF_MS = 250;

/**
 * Creates the comment once (DESIGN §3 "Exactly once, visibly"). A 5xx or a timeout does not say whether
 * GitHub created it, so before another try the PR's comments are read again for the marker: a comment
 * created by an attempt whose answer was lost is found, not made twice.
 */
async function createComment(client: GithubClient, request: StickyComment, body: string): Promise<StickyCommentResult> {
  const { owner, repo, number } = request;
  for (let attempt = 1; ; attempt++) {
    try {
      const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo, issue_number: number, body });
      return { url: data.html_url, created: true, id: Number(data.id) };
    } catch (err) {
      const status = statusOf(err);
      // Octokit reports network failures and timeouts with a status >= 500 too.
      if (status !== undefined && status < 500) throw err;
      if (attempt >= CREATE_ATTEMPTS) throw err;
      await sleep(attempt ** 2 * CREATE_BACKOFF_MS);
      const earlier = await findOurs(client, request);
      if (earlier) return { url: earlier.html_url, created: true, id: earlier.id };
    }
  }
}
