import * as z from '../../core/validation';
import type { GithubClient } from './client';
import { GithubError } from './errors';
import { statusOf } from './request-error';

/** GitHub lists at most 300 files in a comparison; a list that long may be cut short. */
export const MAX_COMPARED_FILES = 300;

export interface ChangedFiles {
  /** `ahead`: head contains base, so the files are base → head. Otherwise they are merge-base → head. */
  status: 'ahead' | 'behind' | 'diverged' | 'identical';
  /** Every path the comparison touches: new names, and the old names of renames. */
  paths: string[];
  /** GitHub's list may be cut short: the caller must not rely on it. */
  truncated: boolean;
}

const changedSchema = z.looseObject({
  status: z.enum(['ahead', 'behind', 'diverged', 'identical']),
  files: z.optional(z.array(z.looseObject({ filename: z.string(), status: z.string(), previous_filename: z.optional(z.string()) }))),
});

/**
 * The files of GET /repos/{owner}/{repo}/compare/{base}...{head} (merge-base → head, GitHub's three dots).
 * `per_page: 1` pages the commits only, which are not read; the files come whole, up to 300.
 */
export async function compareFiles(client: GithubClient, { owner, repo, base, head }: { owner: string; repo: string; base: string; head: string }): Promise<ChangedFiles> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: 1 });
  const parsed = changedSchema.safeParse(data);
  if (!parsed.success) throw new GithubError(`GitHub's comparison of ${base.slice(0, 7)}...${head.slice(0, 7)} in ${owner}/${repo} does not have the expected shape`);
  const files = parsed.data.files ?? [];
  const paths = files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
  return { status: parsed.data.status, paths: [...new Set(paths)], truncated: files.length >= MAX_COMPARED_FILES };
}

/** A path at a commit: its bytes, nothing there, or something that is not a plain file GitHub inlines. */
export type FileAt = { kind: 'file'; bytes: Buffer } | { kind: 'absent' } | { kind: 'other'; what: string };

const contentSchema = z.looseObject({ type: z.string(), sha: z.optional(z.string()), size: z.optional(z.int()), encoding: z.optional(z.string()), content: z.optional(z.string()) });

/**
 * The largest file fetched whole through the blobs API: it arrives as base64 in JSON, ~2.5x its size in
 * memory while decoded, where a tarball streams (issue #20: the worker's memory stays flat).
 */
export const MAX_BLOB_BYTES = 4 * 2 ** 20;

/**
 * GET /repos/{owner}/{repo}/contents/{path}?ref=: a file's bytes at a commit. A file over 1 MB (GitHub
 * sends `encoding: none` and no content) comes from the blobs API by the sha it names, up to MAX_BLOB_BYTES.
 * A folder (an array), a symlink, a submodule, or a larger file is `other`.
 */
export async function readFileAt(client: GithubClient, { owner, repo, path, ref }: { owner: string; repo: string; path: string; ref: string }): Promise<FileAt> {
  let data: unknown;
  try {
    ({ data } = await client.request('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo, path, ref }));
  } catch (err) {
    if (statusOf(err) === 404) return { kind: 'absent' };
    throw err;
  }
  if (Array.isArray(data)) return { kind: 'other', what: 'a folder' };
  const parsed = contentSchema.safeParse(data);
  if (!parsed.success) return { kind: 'other', what: 'an unexpected answer' };
  const { type, encoding, content, sha, size } = parsed.data;
  if (type !== 'file') return { kind: 'other', what: `a ${type}` };
  if (encoding === 'none' && sha && size !== undefined && size <= MAX_BLOB_BYTES) return readBlob(client, { owner, repo, sha });
  if (encoding !== 'base64' || content === undefined) return { kind: 'other', what: 'a file GitHub does not inline' };
  return { kind: 'file', bytes: Buffer.from(content, 'base64') };
}

const blobSchema = z.looseObject({ sha: z.string(), size: z.int(), encoding: z.string(), content: z.string() });

/**
 * GET /repos/{owner}/{repo}/git/blobs/{sha}: a blob's bytes by the sha a tree lists, for the files over the
 * 1 MB the contents API inlines (the blobs API serves up to 100 MB, base64). A blob that is gone is `absent`.
 */
export async function readBlob(client: GithubClient, { owner, repo, sha }: { owner: string; repo: string; sha: string }): Promise<FileAt> {
  let data: unknown;
  try {
    ({ data } = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner, repo, file_sha: sha }));
  } catch (err) {
    if (statusOf(err) === 404) return { kind: 'absent' };
    throw err;
  }
  const parsed = blobSchema.safeParse(data);
  if (!parsed.success || parsed.data.encoding !== 'base64') return { kind: 'other', what: 'a blob GitHub did not send in base64' };
  const bytes = Buffer.from(parsed.data.content, 'base64');
  if (bytes.length !== parsed.data.size) return { kind: 'other', what: `a blob of ${parsed.data.size} bytes that arrived as ${bytes.length}` };
  return { kind: 'file', bytes };
}
