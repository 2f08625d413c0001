import * as z from '../../core/validation';
import type { GithubClient } from './client';
import { FileChanged, RepositoryContentNotFound, WriteRefused } from './errors';
import { githubMessage, statusOf } from './request-error';

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export interface TreeFile {
  path: string;
  /** The blob sha. */
  sha: string;
  size: number;
  /** A symbolic link (mode 120000): its blob is the link's target. */
  link: boolean;
}

// GET /repos/{owner}/{repo}/git/trees/{tree_sha}?recursive=1; `truncated` is true past 100,000 entries or 7 MB
// (docs.github.com/rest/git/trees#get-a-tree).
const treeSchema = z.object({
  sha: z.string(),
  truncated: z.boolean(),
  tree: z.array(z.object({ path: z.string(), mode: z.optional(z.string()), type: z.string(), sha: z.string(), size: z.optional(z.number()) })),
});

// GET /repos/{owner}/{repo}/contents/{path}: a file is `type: file`, base64 with line breaks.
const fileSchema = z.object({ type: z.literal('file'), encoding: z.literal('base64'), content: z.string(), sha: z.string(), path: z.string() });
const fileWriteSchema = z.object({ commit: z.object({ sha: z.string(), html_url: z.string() }), content: z.nullable(z.object({ sha: z.string() })) });
const refSchema = z.object({ object: z.object({ sha: z.string() }) });
const pullSchema = z.object({ number: z.int(), html_url: z.string() });

const name = ({ owner, repo }: RepositoryRef) => `${owner}/${repo}`;

/** GitHub's refusals of a write, explained for the admin who asked for it. */
const WRITE_HINTS: [RegExp, string][] = [
  [/not accessible by integration|resource not accessible/i, 'the Fluxline GitHub App needs the "Contents: Read & write" (and for pull-request mode "Pull requests: Read & write") permission on this repository'],
  [/protected branch|required status|review/i, 'the branch is protected: use `gitops.mode: pull-request` in config.yaml'],
  [/reference already exists/i, 'the branch already exists from an earlier request: merge or delete it, then try again'],
  [/pull request already exists/i, 'a pull request for this branch is already open'],
];

function refused(ref: RepositoryRef, err: unknown): WriteRefused {
  const message = githubMessage(err) ?? (err instanceof Error ? err.message : 'refused');
  return new WriteRefused(name(ref), message, WRITE_HINTS.find(([pattern]) => pattern.test(message))?.[1], { cause: err });
}

/** Every file (blob) of the tree at `ref`, in one recursive call. */
export async function listTree(client: GithubClient, ref: RepositoryRef & { ref: string }): Promise<{ files: TreeFile[]; truncated: boolean }> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: ref.owner, repo: ref.repo, tree_sha: ref.ref, recursive: 'true' });
    const tree = treeSchema.parse(data);
    return { files: tree.tree.filter((entry) => entry.type === 'blob').map((entry) => ({ path: entry.path, sha: entry.sha, size: entry.size ?? 0, link: entry.mode === '120000' })), truncated: tree.truncated };
  } catch (err) {
    if (statusOf(err) === 404 || statusOf(err) === 409) throw new RepositoryContentNotFound(name(ref), `branch \`${ref.ref}\``, { cause: err });
    throw err;
  }
}

/** A text file and its blob sha (the sha a later update must name). */
export async function readFile(client: GithubClient, ref: RepositoryRef & { path: string; ref: string }): Promise<{ text: string; sha: string }> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: ref.owner, repo: ref.repo, path: ref.path, ref: ref.ref });
    const file = fileSchema.parse(data);
    return { text: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha };
  } catch (err) {
    if (statusOf(err) === 404) throw new RepositoryContentNotFound(name(ref), `\`${ref.path}\` on \`${ref.ref}\``, { cause: err });
    throw err;
  }
}

/**
 * One commit changing one file (PUT contents). `sha` is the blob read: GitHub answers 409 when the file
 * changed since, which is FileChanged here, so the caller can read it again.
 */
export async function updateFile(
  client: GithubClient,
  change: RepositoryRef & { path: string; branch: string; text: string; sha: string; message: string },
): Promise<{ commitSha: string; commitUrl: string }> {
  try {
    const { data } = await client.request('PUT /repos/{owner}/{repo}/contents/{path}', {
      owner: change.owner,
      repo: change.repo,
      path: change.path,
      branch: change.branch,
      message: change.message,
      sha: change.sha,
      content: Buffer.from(change.text, 'utf8').toString('base64'),
    });
    const written = fileWriteSchema.parse(data);
    return { commitSha: written.commit.sha, commitUrl: written.commit.html_url };
  } catch (err) {
    const status = statusOf(err);
    if (status === 409) throw new FileChanged(name(change), change.path, { cause: err });
    if (status === 404) throw new RepositoryContentNotFound(name(change), `branch \`${change.branch}\``, { cause: err });
    if (status === 403 || status === 422) throw refused(change, err);
    throw err;
  }
}

/** The commit sha a branch points at. */
export async function branchHead(client: GithubClient, ref: RepositoryRef & { branch: string }): Promise<string> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner: ref.owner, repo: ref.repo, ref: `heads/${ref.branch}` });
    return refSchema.parse(data).object.sha;
  } catch (err) {
    if (statusOf(err) === 404) throw new RepositoryContentNotFound(name(ref), `branch \`${ref.branch}\``, { cause: err });
    throw err;
  }
}

export async function createBranch(client: GithubClient, ref: RepositoryRef & { branch: string; sha: string }): Promise<void> {
  try {
    await client.request('POST /repos/{owner}/{repo}/git/refs', { owner: ref.owner, repo: ref.repo, ref: `refs/heads/${ref.branch}`, sha: ref.sha });
  } catch (err) {
    if (statusOf(err) === 403 || statusOf(err) === 422) throw refused(ref, err);
    throw err;
  }
}

export async function openPullRequest(client: GithubClient, pull: RepositoryRef & { head: string; base: string; title: string; body: string }): Promise<{ number: number; url: string }> {
  try {
    const { data } = await client.request('POST /repos/{owner}/{repo}/pulls', { owner: pull.owner, repo: pull.repo, head: pull.head, base: pull.base, title: pull.title, body: pull.body });
    const created = pullSchema.parse(data);
    return { number: created.number, url: created.html_url };
  } catch (err) {
    if (statusOf(err) === 403 || statusOf(err) === 422) throw refused(pull, err);
    throw err;
  }
}
