import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar';
import type { Reply } from '../router';
import { error as failure, lower, notFound, sha1, type GithubRooms } from './shared';

/**
 * Contents and git: branches of commits of files, served by the routes promote uses — git trees
 * (recursive), contents GET/PUT (base64, blob sha, 409 on a stale sha), git refs (get/create) and pulls
 * POST — with GitHub's response and error shapes, behind the installation-token check of `rooms.repo`.
 * A commit whose tarball is set (tarballs.ts) has the same files in its tree and contents, links included,
 * as on GitHub, where all three come from one commit; files seeded at that sha (seedAt) are laid over them.
 */

export interface FakeCommit {
  repository: string;
  branch: string;
  sha: string;
  parent: string | undefined;
  message: string;
  /** The files changed by this commit (all of them for a seed). */
  changed: string[];
}

export interface FakePull {
  repository: string;
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  html_url: string;
}

export interface FakeGit {
  /** Commits `files` on `branch` (creating the repository and branch); the first branch is the default. */
  seed(repository: string, branch: string, files: Record<string, string>): string;
  /** Someone else pushes a change to one file (to make the next update with the old sha answer 409). */
  push(repository: string, branch: string, path: string, text: string): string;
  /** A commit of these files with the sha the caller chose (a PR head it made up), on no branch. */
  seedAt(repository: string, sha: string, files: Record<string, string>): void;
  /** One commit on `branch` writing each file, or deleting it (null): a rename is a delete and a write. */
  change(repository: string, branch: string, files: Record<string, string | null>): string;
  file(repository: string, branch: string, path: string): string | undefined;
  head(repository: string, branch: string): string | undefined;
  /** The tree and contents of `sha` are its tarball's files and links (read when first asked for). */
  fromTarball(repository: string, sha: string, tarball: Buffer): void;
  /** Reads a tarball registered with fromTarball now, so that the first tree or contents call does not pay for it (the bench). */
  readTarball(repository: string, sha: string): void;
  /** Every commit made through the API (PUT contents), oldest first; seeds and pushes excluded. */
  commits: FakeCommit[];
  pulls: FakePull[];
}

interface Commit {
  sha: string;
  parent: string | undefined;
  message: string;
  files: Map<string, string>;
}
interface Repository {
  defaultBranch: string;
  branches: Map<string, string>;
  commits: Map<string, Commit>;
}

/** Git's blob id: sha1 of `blob <bytes>\0<content>`, which is what GitHub's contents and trees APIs call `sha`. */
export const blobSha = (content: string | Buffer) => createHash('sha1').update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest('hex');

/** A file as the tree and contents routes serve it; a large one's bytes are read again from its tarball when asked for. */
interface Blob {
  size: number;
  sha: () => string;
  bytes: () => Buffer;
}
const blobOf = (content: string | Buffer): Blob => ({ size: Buffer.byteLength(content), sha: () => blobSha(content), bytes: () => Buffer.from(content) });

/** What a commit holds as the tree and contents routes serve it: files and links' targets. */
interface Snapshot {
  sha: string;
  files: Map<string, Blob>;
  links: Map<string, string>;
}

/** Files up to this size keep their bytes once a tarball is read; larger ones (the bench's vendored archives) are read again if asked for. */
const KEPT_BYTES = 256 * 1024;

/** The files and links of a tarball as GitHub makes it (one `owner-repo-sha/` folder, dropped); `only`: that file alone. */
function readTarballEntries(tarball: Buffer, only?: string): { files: Map<string, Blob>; links: Map<string, string> } {
  const files = new Map<string, Blob>();
  const links = new Map<string, string>();
  const parser = new tar.Parser({
    onReadEntry: (entry) => {
      const path = entry.path.split('/').slice(1).join('/').replace(/\/$/, '');
      if (entry.type === 'SymbolicLink') links.set(path, entry.linkpath ?? '');
      if (entry.type !== 'File' || (only !== undefined && path !== only)) return void entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const sha = blobSha(bytes);
        const kept = only !== undefined || bytes.length <= KEPT_BYTES ? bytes : undefined;
        files.set(path, { size: bytes.length, sha: () => sha, bytes: () => kept ?? readTarballEntries(tarball, path).files.get(path)?.bytes() ?? Buffer.alloc(0) });
      });
    },
  });
  parser.end(gunzipSync(tarball));
  return { files, links };
}
const reply = (status: number, body: unknown): Reply => ({ status, body });

export function mountContents(rooms: GithubRooms): FakeGit {
  const apiUrl = rooms.url;
  const repositories = new Map<string, Repository>();
  const commits: FakeCommit[] = [];
  const pulls: FakePull[] = [];
  let nextPull = 5_000;

  const repoOf = (repository: string) => repositories.get(lower(repository));
  const commitAt = (repo: Repository | undefined, ref: string) => {
    const sha = repo?.branches.get(ref) ?? ref;
    return repo?.commits.get(sha);
  };
  const tarballs = new Map<string, Buffer>();
  /** The last two tarballs read (a PR's commit before and after a push): the bench's are hundreds of MB. */
  const read: { key: string; files: Map<string, Blob>; links: Map<string, string> }[] = [];
  const tarballAt = (repository: string, sha: string) => {
    const key = `${lower(repository)}@${sha}`;
    const tarball = tarballs.get(key);
    if (!tarball) return undefined;
    let entry = read.find((r) => r.key === key);
    if (!entry) {
      entry = { key, ...readTarballEntries(tarball) };
      read.unshift(entry);
      read.splice(2);
    }
    return entry;
  };
  const snapshotAt = (repository: string, ref: string): Snapshot | undefined => {
    const seeded = commitAt(repoOf(repository), ref);
    const archived = tarballAt(repository, ref);
    const files = new Map(archived?.files);
    for (const [path, text] of seeded?.files ?? []) files.set(path, blobOf(text));
    if (!archived && !seeded) return undefined;
    return { sha: archived ? ref : (seeded?.sha ?? ref), files, links: archived?.links ?? new Map() };
  };

  function commit(repository: string, branch: string, change: (files: Map<string, string>) => void, message: string): Commit {
    let repo = repoOf(repository);
    if (!repo) {
      repo = { defaultBranch: branch, branches: new Map(), commits: new Map() };
      repositories.set(lower(repository), repo);
    }
    const parent = commitAt(repo, branch);
    const files = new Map(parent?.files ?? []);
    change(files);
    const sha = sha1(`${parent?.sha ?? ''}\n${message}\n${[...files].map(([path, text]) => `${path}:${blobSha(text)}`).join('\n')}\n${Math.random()}`);
    const created = { sha, parent: parent?.sha, message, files };
    repo.commits.set(sha, created);
    repo.branches.set(branch, sha);
    return created;
  }

  const fileObject = (repository: string, ref: string, path: string, blob: Blob) => {
    const sha = blob.sha();
    const name = path.split('/').at(-1) ?? path;
    const self = `${apiUrl()}/repos/${repository}/contents/${path}?ref=${encodeURIComponent(ref)}`;
    const html = `https://github.com/${repository}/blob/${ref}/${path}`;
    const git = `${apiUrl()}/repos/${repository}/git/blobs/${sha}`;
    return { name, path, sha, size: blob.size, url: self, html_url: html, git_url: git, download_url: `https://raw.githubusercontent.com/${repository}/${ref}/${path}`, type: 'file', _links: { self, git, html } };
  };
  const commitObject = (repository: string, c: Commit) => ({
    sha: c.sha,
    node_id: Buffer.from(`C_${c.sha}`).toString('base64'),
    url: `${apiUrl()}/repos/${repository}/git/commits/${c.sha}`,
    html_url: `https://github.com/${repository}/commit/${c.sha}`,
    author: { name: 'fluxline[bot]', email: 'fluxline[bot]@users.noreply.github.com', date: new Date().toISOString() },
    committer: { name: 'GitHub', email: 'noreply@github.com', date: new Date().toISOString() },
    tree: { sha: sha1(`tree:${c.sha}`), url: `${apiUrl()}/repos/${repository}/git/trees/${sha1(`tree:${c.sha}`)}` },
    message: c.message,
    parents: c.parent ? [{ sha: c.parent, url: `${apiUrl()}/repos/${repository}/git/commits/${c.parent}`, html_url: `https://github.com/${repository}/commit/${c.parent}` }] : [],
    verification: { verified: true, reason: 'valid', signature: null, payload: null },
  });
  const refObject = (repository: string, branch: string, sha: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: Buffer.from(`REF_${branch}`).toString('base64'),
    url: `${apiUrl()}/repos/${repository}/git/refs/heads/${branch}`,
    object: { sha, type: 'commit', url: `${apiUrl()}/repos/${repository}/git/commits/${sha}` },
  });

  // GET /repos/{owner}/{repo}/git/trees/{tree_sha}: a branch name or commit sha is accepted for tree_sha.
  rooms.repo('GET', '/git/trees/:ref+', ({ repository, params, url }) => {
    const ref = decodeURIComponent(params.ref ?? '');
    const found = snapshotAt(repository, ref);
    if (!found) return notFound();
    const recursive = url.searchParams.has('recursive');
    const dirs = new Set<string>();
    for (const path of [...found.files.keys(), ...found.links.keys()]) path.split('/').slice(0, -1).forEach((_, i, parts) => dirs.add(parts.slice(0, i + 1).join('/')));
    const entries = [
      ...[...dirs].map((path) => ({ path, mode: '040000', type: 'tree', sha: sha1(`tree:${found.sha}:${path}`) })),
      ...[...found.files].map(([path, blob]) => ({ path, mode: '100644', type: 'blob', sha: blob.sha(), size: blob.size })),
      ...[...found.links].map(([path, target]) => ({ path, mode: '120000', type: 'blob', sha: blobSha(target), size: Buffer.byteLength(target) })),
    ]
      .filter((entry) => recursive || !entry.path.includes('/'))
      // Git orders tree entries by bytes, not by locale.
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((entry) => ({ ...entry, url: `${apiUrl()}/repos/${repository}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}` }));
    return reply(200, { sha: sha1(`tree:${found.sha}`), url: `${apiUrl()}/repos/${repository}/git/trees/${ref}`, tree: entries, truncated: false });
  });

  // GET /repos/{owner}/{repo}/git/blobs/{file_sha}: any blob of the repository's commits, base64 as GitHub sends it.
  rooms.repo('GET', '/git/blobs/:sha', ({ repository, params }) => {
    const sha = params.sha ?? '';
    const archived = read.filter((entry) => entry.key.startsWith(`${lower(repository)}@`)).flatMap((entry) => [...entry.files.values()]);
    const seeded = [...(repoOf(repository)?.commits.values() ?? [])].flatMap((c) => [...c.files.values()].map(blobOf));
    const blob = [...archived, ...seeded].find((candidate) => candidate.sha() === sha);
    if (!blob) return notFound();
    const content = (blob.bytes().toString('base64').match(/.{1,60}/g) ?? []).join('\n');
    return reply(200, { sha, node_id: Buffer.from(`B_${sha}`).toString('base64'), size: blob.size, url: `${apiUrl()}/repos/${repository}/git/blobs/${sha}`, content: `${content}\n`, encoding: 'base64' });
  });

  rooms.repo('GET', '/contents/:path+', ({ repository, params, url }) => {
    const path = decodeURIComponent(params.path ?? '');
    const ref = url.searchParams.get('ref') ?? repoOf(repository)?.defaultBranch ?? 'main';
    const found = snapshotAt(repository, ref);
    const target = found?.links.get(path);
    // GitHub answers a link's path with the link itself (docs.github.com/rest/repos/contents: "If the content is a symlink").
    if (target !== undefined) return reply(200, { ...fileObject(repository, ref, path, blobOf(target)), type: 'symlink', target });
    const blob = found?.files.get(path);
    if (blob === undefined) return notFound();
    // Over 1 MB GitHub sends the file's object without its content (encoding "none").
    if (blob.size > 1024 * 1024) return reply(200, { ...fileObject(repository, ref, path, blob), content: '', encoding: 'none' });
    // GitHub wraps the base64 at 60 characters per line.
    const content = (blob.bytes().toString('base64').match(/.{1,60}/g) ?? []).join('\n');
    return reply(200, { ...fileObject(repository, ref, path, blob), content: `${content}\n`, encoding: 'base64' });
  });

  rooms.repo('PUT', '/contents/:path+', ({ repository, params, body }) => {
    const path = decodeURIComponent(params.path ?? '');
    const repo = repoOf(repository);
    if (!repo) return notFound();
    if (typeof body.message !== 'string' || typeof body.content !== 'string') return failure(422, 'Invalid request.\n\n"message" and "content" are required.');
    const branch = typeof body.branch === 'string' ? body.branch : repo.defaultBranch;
    const current = commitAt(repo, branch);
    if (!repo.branches.has(branch) || !current) return failure(404, `Branch ${branch} not found`);
    const existing = current.files.get(path);
    if (existing !== undefined && typeof body.sha !== 'string') return failure(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (existing !== undefined && body.sha !== blobSha(existing)) return failure(409, `${path} does not match ${String(body.sha)}`);
    const text = Buffer.from(body.content, 'base64').toString('utf8');
    const made = commit(repository, branch, (files) => files.set(path, text), body.message);
    commits.push({ repository, branch, sha: made.sha, parent: made.parent, message: body.message, changed: [path] });
    return reply(existing === undefined ? 201 : 200, { content: fileObject(repository, branch, path, blobOf(text)), commit: commitObject(repository, made) });
  });

  // Octokit sends `{ref}` percent-encoded (heads%2Fmain); GitHub accepts both forms.
  rooms.repo('GET', '/git/ref/:ref+', ({ repository, params }) => {
    const ref = decodeURIComponent(params.ref ?? '');
    if (!ref.startsWith('heads/')) return notFound();
    const branch = ref.slice('heads/'.length);
    const sha = repoOf(repository)?.branches.get(branch);
    return sha ? reply(200, refObject(repository, branch, sha)) : notFound();
  });

  rooms.repo('POST', '/git/refs', ({ repository, body }) => {
    const repo = repoOf(repository);
    if (!repo) return notFound();
    const ref = typeof body.ref === 'string' ? body.ref : '';
    if (!ref.startsWith('refs/') || ref.split('/').length < 3) return failure(422, "Reference name must start with 'refs/' and have at least two slashes.");
    const branch = ref.replace(/^refs\/heads\//, '');
    if (repo.branches.has(branch)) return failure(422, 'Reference already exists');
    if (typeof body.sha !== 'string' || !repo.commits.has(body.sha)) return failure(422, 'Object does not exist');
    repo.branches.set(branch, body.sha);
    return reply(201, refObject(repository, branch, body.sha));
  });

  rooms.repo('POST', '/pulls', ({ repository, body }) => {
    const repo = repoOf(repository);
    if (!repo) return notFound();
    const head = typeof body.head === 'string' ? body.head : '';
    const base = typeof body.base === 'string' ? body.base : '';
    const invalid = (field: string) => failure(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field, code: 'invalid' }] });
    if (!repo.branches.has(head)) return invalid('head');
    if (!repo.branches.has(base)) return invalid('base');
    if (typeof body.title !== 'string' || !body.title) return failure(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', field: 'title', code: 'missing_field' }] });
    if (repo.branches.get(head) === repo.branches.get(base)) return failure(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }] });
    if (pulls.some((p) => lower(p.repository) === lower(repository) && p.head === head)) {
      return failure(422, 'Validation Failed', { errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repository.split('/')[0] ?? ''}:${head}.` }] });
    }
    const number = nextPull++;
    const pull: FakePull = { repository, number, title: body.title, body: typeof body.body === 'string' ? body.body : '', head, base, html_url: `https://github.com/${repository}/pull/${number}` };
    pulls.push(pull);
    const side = (branch: string) => ({ label: `${repository.split('/')[0] ?? ''}:${branch}`, ref: branch, sha: repo.branches.get(branch) ?? '' });
    return reply(201, {
      url: `${apiUrl()}/repos/${repository}/pulls/${number}`,
      id: number * 10,
      node_id: Buffer.from(`PR_${number}`).toString('base64'),
      html_url: pull.html_url,
      number,
      state: 'open',
      locked: false,
      title: pull.title,
      body: pull.body,
      draft: false,
    head: side(head),
      base: side(base),
      merged: false,
      created_at: new Date().toISOString(),
    });
  });

  return {
    seed: (repository, branch, files) => commit(repository, branch, (map) => Object.entries(files).forEach(([path, text]) => map.set(path, text)), 'seed').sha,
    push: (repository, branch, path, text) => commit(repository, branch, (map) => map.set(path, text), `edit ${path}`).sha,
    seedAt: (repository, sha, files) => {
      const made = commit(repository, `seed-${sha}`, (map) => Object.entries(files).forEach(([path, text]) => map.set(path, text)), 'seed');
      const repo = repoOf(repository);
      repo?.commits.set(sha, { ...made, sha });
    },
    change: (repository, branch, files) =>
      commit(repository, branch, (map) => Object.entries(files).forEach(([path, text]) => (text === null ? map.delete(path) : map.set(path, text))), `change ${Object.keys(files).join(', ')}`).sha,
    file: (repository, branch, path) => commitAt(repoOf(repository), branch)?.files.get(path),
    head: (repository, branch) => repoOf(repository)?.branches.get(branch),
    fromTarball: (repository, sha, tarball) => {
      const key = `${lower(repository)}@${sha}`;
      tarballs.set(key, tarball);
      const stale = read.findIndex((r) => r.key === key);
      if (stale >= 0) read.splice(stale, 1);
    },
    readTarball: (repository, sha) => void tarballAt(repository, sha),
    commits,
    pulls,
  };
}
