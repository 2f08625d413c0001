import { createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaults, githubFailure, type Faults } from './faults';
import { createFakeGit, type FakeGit } from './github-contents';
import { createFakeHookDeliveries, type FakeHookDeliveries } from './github-deliveries';

/**
 * An HTTP fake of the GitHub REST API for the routes Fluxline calls, on 127.0.0.1 and a random port.
 * It authenticates like GitHub (app JWT verified with the app's public key, installation tokens bound
 * to the repositories of their installation), paginates with real Link headers, redirects tarballs to
 * a codeload-like host that needs no auth, and answers with GitHub's response and error shapes.
 */

type Json = Record<string, unknown>;

export interface AppKeyPair {
  privateKey: string;
  publicKey: string;
}
export interface FakeFile {
  filename: string;
  status?: string;
  previous_filename?: string;
}
export interface FakeComment {
  id: number;
  repository: string;
  number: number;
  body: string;
  user: { login: string; type: string };
}
export interface FakeReview {
  id: number;
  repository: string;
  number: number;
  event: string;
  body: string;
  commit_id: string;
}
export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  /** What the Authorization header looked like: an app JWT, an installation token, or nothing. */
  auth: 'jwt' | 'installation' | 'none';
  authorizationSent: boolean;
  userAgent: string;
}
export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
export interface FakeGithub {
  /** Pass as GITHUB_API_URL. */
  url: string;
  /** owner/repo -> installation id. */
  installations: Map<string, number>;
  /** Registers (or replaces, keyed by repository and payload.number) a pull request and its changed files. */
  addPullRequest(pr: { payload: Json; repository: string; files: string[] | FakeFile[] }): void;
  /** A copy of the stored pull_request object, to re-add it changed (a push moves head.sha). */
  pullRequest(repository: string, number: number): Json | undefined;
  setTarball(repository: string, sha: string, tarball: Buffer): void;
  comments: FakeComment[];
  reviews: FakeReview[];
  requests: FakeRequest[];
  /** Canned answers for the next calls matching method and path (tested against path + query); [] clears. */
  failNext(match: { method: string; path: RegExp }, responses: CannedResponse[]): void;
  /** Until called with undefined, reviews answer 422 with this message in `errors`. */
  rejectReviews(message: string | undefined): void;
  /** Branches and files of repositories, with the commits and pull requests made through the API (github-contents.ts). */
  git: FakeGit;
  /** The App webhook's deliveries and redeliveries (github-deliveries.ts). */
  hookDeliveries: FakeHookDeliveries;
  /** Outages and failed first attempts (faults.ts), keyed by `METHOD /path`; also `POST /__fake/faults`. Injected failures are not in `requests`. */
  faults: Faults;
  stop(): Promise<void>;
}

/** The bot user GitHub shows for comments and reviews made with an installation token. */
const BOT_LOGIN = 'fluxline[bot]';
const DOCS = 'https://docs.github.com/rest';
/** GitHub lists at most 3,000 files of a pull request. */
const MAX_FILES = 3_000;
/** GitHub rejects longer comment bodies, counting characters. */
const MAX_COMMENT = 65_536;

let cachedKeyPair: AppKeyPair | undefined;

/** An RSA 2048 key pair in the PEM forms GitHub uses (PKCS#1 private key); generated once per process. */
export function generateAppKeyPair(): AppKeyPair {
  cachedKeyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return cachedKeyPair;
}

class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

const error = (status: number, message: string, extra: Json = {}) => new Reply(status, { message, documentation_url: DOCS, status: String(status), ...extra });
const notFound = () => error(404, 'Not Found');
const validationFailed = (resource: string, field: string, code: string, message?: string) =>
  error(422, 'Validation Failed', { errors: [{ resource, code, field, ...(message ? { message } : {}) }] });

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const base64url = (text: string) => Buffer.from(text, 'base64url');
const lower = (repository: string) => repository.toLowerCase();

/** GitHub's checks on an app JWT; undefined when it is valid, else the message GitHub answers with. */
function jwtProblem(jwt: string, appId: string, publicKey: string): string | undefined {
  const undecodable = 'A JSON web token could not be decoded';
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  try {
    const { alg } = JSON.parse(base64url(header).toString()) as { alg?: string };
    if (alg !== 'RS256' || !verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, base64url(signature))) return undecodable;
    const claims = JSON.parse(base64url(payload).toString()) as { iss?: unknown; iat?: unknown; exp?: unknown };
    if (String(claims.iss) !== appId) return undecodable;
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.exp !== 'number' || claims.exp <= now) return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    if (typeof claims.iat !== 'number' || claims.iat > now + 60) return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
    if (claims.exp - claims.iat > 600) return "'Expiration time' claim ('exp') is too far in the future";
    return undefined;
  } catch {
    return undecodable;
  }
}

/** One page of `items` and GitHub's Link header (first/prev/next/last, with the request's other query parameters). */
function paginate<T>(items: T[], url: URL): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number) => {
    const target = new URL(url);
    target.searchParams.set('per_page', String(perPage));
    target.searchParams.set('page', String(n));
    return `<${target.toString()}>`;
  };
  const links = [...(page > 1 ? [`${at(page - 1)}; rel="prev"`] : []), ...(page < last ? [`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`] : []), ...(page > 1 ? [`${at(1)}; rel="first"`] : [])];
  return { page: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

function userObject(login: string, type: string): Json {
  const id = parseInt(sha1(login).slice(0, 7), 16);
  return { login, id, node_id: Buffer.from(`04:User${id}`).toString('base64'), avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, url: `https://api.github.com/users/${encodeURIComponent(login)}`, html_url: `https://github.com/${login}`, type, site_admin: false };
}

interface StoredPullRequest {
  payload: Json;
  repository: string;
  files: FakeFile[];
}

export async function startFakeGithub(options: { appId: string; publicKey: string; now?: () => number }): Promise<FakeGithub> {
  const faults = createFaults(options.now ? { now: options.now } : {});
  const installations = new Map<string, number>();
  const pulls = new Map<string, StoredPullRequest>();
  const tarballs = new Map<string, Buffer>();
  const tokens = new Map<string, { installationId: number; expiresAt: number }>();
  const codeloadTokens = new Set<string>();
  const commentTimes = new Map<number, { created: string; updated: string }>();
  const canned: { method: string; path: RegExp; responses: CannedResponse[] }[] = [];
  const comments: FakeComment[] = [];
  const reviews: FakeReview[] = [];
  const requests: FakeRequest[] = [];
  let reviewRefusal: string | undefined;
  let nextId = 1_000;
  let url = '';

  const app = { id: Number(options.appId), slug: 'fluxline', node_id: 'MDM6QXBwMQ==', owner: userObject('acme', 'Organization'), name: 'Fluxline', permissions: { contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' }, events: ['pull_request'] };
  const installationOf = (repository: string) => [...installations].find(([name]) => lower(name) === lower(repository))?.[1];
  const pullOf = (repository: string, number: number) => pulls.get(`${lower(repository)}#${number}`);
  const headShaOf = (pr: StoredPullRequest) => String((pr.payload.head as Json | undefined)?.sha);

  function installationObject(id: number, owner: string): Json {
    return { id, account: userObject(owner, 'Organization'), app_id: app.id, app_slug: app.slug, target_type: 'Organization', repository_selection: 'selected', permissions: app.permissions, events: app.events, access_tokens_url: `${url}/app/installations/${id}/access_tokens`, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' };
  }

  function commentObject(comment: FakeComment): Json {
    const times = commentTimes.get(comment.id) ?? { created: '2024-01-01T00:00:00Z', updated: '2024-01-01T00:00:00Z' };
    const byApp = comment.user.type === 'Bot' && comment.user.login === BOT_LOGIN;
    return {
      url: `${url}/repos/${comment.repository}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${comment.repository}/pull/${comment.number}#issuecomment-${comment.id}`,
      issue_url: `${url}/repos/${comment.repository}/issues/${comment.number}`,
      id: comment.id,
      node_id: Buffer.from(`IC_${comment.id}`).toString('base64'),
      user: userObject(comment.user.login, comment.user.type),
      created_at: times.created,
      updated_at: times.updated,
      author_association: byApp ? 'NONE' : 'MEMBER',
      body: comment.body,
      performed_via_github_app: byApp ? app : null,
    };
  }

  function fileObject(pr: StoredPullRequest, file: FakeFile): Json {
    const status = file.status ?? (file.previous_filename ? 'renamed' : 'modified');
    const head = headShaOf(pr);
    const [additions, deletions] = status === 'added' ? [3, 0] : status === 'removed' ? [0, 3] : status === 'renamed' ? [0, 0] : [2, 1];
    const path = encodeURI(file.filename);
    return {
      sha: sha1(`${head}:${file.filename}`),
      filename: file.filename,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      blob_url: `https://github.com/${pr.repository}/blob/${head}/${path}`,
      raw_url: `https://github.com/${pr.repository}/raw/${head}/${path}`,
      contents_url: `${url}/repos/${pr.repository}/contents/${path}?ref=${head}`,
      ...(additions + deletions > 0 ? { patch: `@@ -1,${deletions} +1,${additions} @@\n${'-old\n'.repeat(deletions)}${'+new\n'.repeat(additions)}`.trimEnd() } : {}),
      ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    };
  }

  /** Who is calling: `repository` set means an installation token that must cover that repository. */
  function authenticate(authorization: string | undefined, need: { app: true } | { repository: string }): Reply | undefined {
    const [scheme = '', credential = ''] = (authorization ?? '').split(/\s+/, 2);
    if (!authorization) return error(401, 'Requires authentication');
    if ('app' in need) {
      if (lower(scheme) !== 'bearer') return error(401, 'A JSON web token could not be decoded');
      const problem = jwtProblem(credential, options.appId, options.publicKey);
      return problem ? error(401, problem) : undefined;
    }
    const token = tokens.get(credential);
    if (!['token', 'bearer'].includes(lower(scheme)) || !token || token.expiresAt <= Date.now()) return error(401, 'Bad credentials');
    // GitHub hides repositories an installation does not cover behind 404.
    return installationOf(need.repository) === token.installationId ? undefined : notFound();
  }

  type Handler = (request: { url: URL; params: string[]; body: Json; authorization: string | undefined }) => Reply;
  const routes: [string, RegExp, Handler][] = [];
  const route = (method: string, pattern: RegExp, handler: Handler) => routes.push([method, pattern, handler]);
  /** Installation-token routes under /repos/{owner}/{repo}; params[0] is owner/repo. */
  const repoRoute = (method: string, rest: string, handler: Handler) =>
    route(method, new RegExp(`^/repos/([^/]+/[^/]+)${rest}$`), (request) => authenticate(request.authorization, { repository: request.params[0] ?? '' }) ?? handler(request));

  const contents = createFakeGit(() => url);
  contents.mount((method, rest, handler) => repoRoute(method, rest, (request) => {
    const answer = handler(request);
    return new Reply(answer.status, answer.body);
  }));

  const hooks = createFakeHookDeliveries();
  hooks.mount((method, pattern, handler) =>
    route(method, pattern, (request) => {
      const denied = authenticate(request.authorization, { app: true });
      if (denied) return denied;
      const answer = handler(request);
      return new Reply(answer.status, answer.body, answer.headers);
    }),
  );

  route('GET', /^\/app$/, ({ authorization }) => authenticate(authorization, { app: true }) ?? new Reply(200, app));

  route('POST', /^\/app\/installations\/(\d+)\/access_tokens$/, ({ params, authorization }) => {
    const denied = authenticate(authorization, { app: true });
    if (denied) return denied;
    const installationId = Number(params[0]);
    if (![...installations.values()].includes(installationId)) return notFound();
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = Date.now() + 3_600_000;
    tokens.set(token, { installationId, expiresAt });
    return new Reply(201, { token, expires_at: new Date(expiresAt).toISOString(), permissions: app.permissions, repository_selection: 'selected' });
  });

  route('GET', /^\/repos\/([^/]+)\/([^/]+)\/installation$/, ({ params, authorization }) => {
    const denied = authenticate(authorization, { app: true });
    if (denied) return denied;
    const [owner = '', repo = ''] = params;
    const id = installationOf(`${owner}/${repo}`);
    return id === undefined ? error(404, 'Not Found', { documentation_url: `${DOCS}/apps/apps#get-a-repository-installation-for-the-authenticated-app` }) : new Reply(200, installationObject(id, owner));
  });

  repoRoute('GET', '/pulls/(\\d+)', ({ params }) => {
    const pr = pullOf(params[0] ?? '', Number(params[1]));
    return pr ? new Reply(200, { ...pr.payload, changed_files: pr.files.length }) : notFound();
  });

  repoRoute('GET', '/pulls/(\\d+)/files', ({ params, url: requestUrl }) => {
    const pr = pullOf(params[0] ?? '', Number(params[1]));
    if (!pr) return notFound();
    const { page, headers } = paginate(pr.files.slice(0, MAX_FILES), requestUrl);
    return new Reply(200, page.map((file) => fileObject(pr, file)), headers);
  });

  repoRoute('POST', '/pulls/(\\d+)/reviews', ({ params, body }) => {
    const repository = params[0] ?? '';
    const number = Number(params[1]);
    const pr = pullOf(repository, number);
    if (!pr) return notFound();
    const event = typeof body.event === 'string' ? body.event : 'PENDING';
    const text = typeof body.body === 'string' ? body.body : '';
    const commitId = typeof body.commit_id === 'string' ? body.commit_id : headShaOf(pr);
    if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT', 'PENDING'].includes(event)) return validationFailed('PullRequestReview', 'event', 'invalid');
    if (reviewRefusal !== undefined) return error(422, 'Unprocessable Entity', { errors: [reviewRefusal] });
    if (commitId !== headShaOf(pr)) return error(422, 'Unprocessable Entity', { errors: [`Commit ${commitId} is not the head of pull request #${number}`] });
    if (event !== 'APPROVE' && event !== 'PENDING' && !text) return error(422, 'Unprocessable Entity', { errors: [`Review body is required when the event is ${event}`] });
    const review: FakeReview = { id: nextId++, repository, number, event, body: text, commit_id: commitId };
    reviews.push(review);
    const states: Record<string, string> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED', PENDING: 'PENDING' };
    const state = states[event];
    return new Reply(200, {
      id: review.id,
      node_id: Buffer.from(`PRR_${review.id}`).toString('base64'),
      user: userObject(BOT_LOGIN, 'Bot'),
      body: text,
      state,
      html_url: `https://github.com/${repository}/pull/${number}#pullrequestreview-${review.id}`,
      pull_request_url: `${url}/repos/${repository}/pulls/${number}`,
      author_association: 'NONE',
      submitted_at: new Date().toISOString(),
      commit_id: commitId,
    });
  });

  repoRoute('GET', '/tarball/(.+)', ({ params }) => {
    const repository = params[0] ?? '';
    const ref = decodeURIComponent(params[1] ?? '');
    if (!tarballs.has(`${lower(repository)}@${ref}`)) return notFound();
    // codeload.github.com accepts the short-lived token in the URL, not our Authorization header.
    const token = randomBytes(12).toString('hex');
    codeloadTokens.add(token);
    return new Reply(302, '', { location: `${url}/_codeload/${repository}/legacy.tar.gz/${encodeURIComponent(ref)}?token=${token}` });
  });

  route('GET', /^\/_codeload\/([^/]+\/[^/]+)\/legacy\.tar\.gz\/(.+)$/, ({ params, url: requestUrl }) => {
    const repository = params[0] ?? '';
    const ref = decodeURIComponent(params[1] ?? '');
    const tarball = tarballs.get(`${lower(repository)}@${ref}`);
    if (!tarball || !codeloadTokens.has(requestUrl.searchParams.get('token') ?? '')) return new Reply(404, '404: Not Found', { 'content-type': 'text/plain; charset=utf-8' });
    return new Reply(200, tarball, { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${repository.replace('/', '-')}-${ref.slice(0, 7)}.tar.gz` });
  });

  repoRoute('GET', '/issues/(\\d+)/comments', ({ params, url: requestUrl }) => {
    const repository = params[0] ?? '';
    const number = Number(params[1]);
    if (!pullOf(repository, number)) return notFound();
    const onIssue = comments.filter((c) => lower(c.repository) === lower(repository) && c.number === number).sort((a, b) => a.id - b.id);
    const { page, headers } = paginate(onIssue, requestUrl);
    return new Reply(200, page.map(commentObject), headers);
  });

  const bodyProblem = (body: unknown) => {
    if (typeof body !== 'string') return validationFailed('IssueComment', 'body', 'missing_field');
    // GitHub counts characters, not UTF-16 units.
    if (Array.from(body).length > MAX_COMMENT) return validationFailed('IssueComment', 'body', 'custom', `body is too long (maximum is ${MAX_COMMENT} characters)`);
    return undefined;
  };

  repoRoute('POST', '/issues/(\\d+)/comments', ({ params, body }) => {
    const repository = params[0] ?? '';
    const number = Number(params[1]);
    if (!pullOf(repository, number)) return notFound();
    const invalid = bodyProblem(body.body);
    if (invalid) return invalid;
    const comment: FakeComment = { id: Math.max(nextId, ...comments.map((c) => c.id + 1)), repository, number, body: String(body.body), user: { login: BOT_LOGIN, type: 'Bot' } };
    nextId = comment.id + 1;
    const now = new Date().toISOString();
    commentTimes.set(comment.id, { created: now, updated: now });
    comments.push(comment);
    return new Reply(201, commentObject(comment));
  });

  repoRoute('PATCH', '/issues/comments/(\\d+)', ({ params, body }) => {
    const comment = comments.find((c) => c.id === Number(params[1]) && lower(c.repository) === lower(params[0] ?? ''));
    if (!comment) return notFound();
    const invalid = bodyProblem(body.body);
    if (invalid) return invalid;
    comment.body = String(body.body);
    const created = commentTimes.get(comment.id)?.created ?? '2024-01-01T00:00:00Z';
    commentTimes.set(comment.id, { created, updated: new Date().toISOString() });
    return new Reply(200, commentObject(comment));
  });

  function takeCanned(method: string, pathAndQuery: string): Reply | undefined {
    const entry = canned.find((c) => c.method === method && c.path.test(pathAndQuery));
    const next = entry?.responses.shift();
    if (entry && entry.responses.length === 0) canned.splice(canned.indexOf(entry), 1);
    if (!next) return undefined;
    const body = next.body ?? (next.status >= 400 ? { message: STATUS_CODES[next.status] ?? 'Error', documentation_url: DOCS } : '');
    return new Reply(next.status, body, next.headers);
  }

  async function readJson(req: IncomingMessage): Promise<Json | undefined> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : undefined;
    } catch {
      return undefined;
    }
  }

  async function answer(req: IncomingMessage): Promise<Reply> {
    const method = req.method ?? 'GET';
    const requestUrl = new URL(req.url ?? '/', url);
    const authorization = req.headers.authorization;
    const [scheme = '', credential = ''] = (authorization ?? '').split(/\s+/, 2);
    const auth = !authorization ? 'none' : lower(scheme) === 'bearer' && credential.split('.').length === 3 ? 'jwt' : 'installation';
    requests.push({ method, path: requestUrl.pathname, query: requestUrl.search, auth, authorizationSent: Boolean(authorization), userAgent: req.headers['user-agent'] ?? '' });
    const body = await readJson(req);
    const cannedReply = takeCanned(method, requestUrl.pathname + requestUrl.search);
    if (cannedReply) return cannedReply;
    if (!body) return error(400, 'Problems parsing JSON');
    for (const [routeMethod, pattern, handler] of routes) {
      const match = pattern.exec(requestUrl.pathname);
      if (match && routeMethod === method) return handler({ url: requestUrl, params: match.slice(1), body, authorization });
    }
    return notFound();
  }

  function send(res: ServerResponse, reply: Reply): void {
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    });
    const { body } = reply;
    if (!Buffer.isBuffer(body)) {
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
      return;
    }
    // codeload streams archives chunked, without Content-Length.
    for (let offset = 0; offset < body.length; offset += 65_536) res.write(body.subarray(offset, offset + 65_536));
    res.end();
  }

  const server = createServer((req, res) => {
    const key = `${req.method ?? 'GET'} ${new URL(req.url ?? '/', 'http://fake').pathname}`;
    faults.intercept(req, res, key, githubFailure).then(
      (answered) => (answered ? undefined : serve(req, res)),
      (err: unknown) => send(res, error(500, `fake GitHub faults failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
  });
  const serve = (req: IncomingMessage, res: ServerResponse) =>
    answer(req).then(
      (reply) => send(res, reply),
      (err: unknown) => send(res, error(500, `fake GitHub failed: ${err instanceof Error ? err.message : String(err)}`)),
    );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    installations,
    comments,
    reviews,
    requests,
    addPullRequest({ payload, repository, files }) {
      const number = Number(payload.number);
      if (!Number.isInteger(number)) throw new Error('addPullRequest: payload.number is not an integer');
      const normalized = files.map((file) => (typeof file === 'string' ? { filename: file } : file));
      pulls.set(`${lower(repository)}#${number}`, { payload: structuredClone(payload), repository, files: normalized });
    },
    pullRequest(repository, number) {
      const stored = pullOf(repository, number);
      return stored ? structuredClone(stored.payload) : undefined;
    },
    setTarball(repository, sha, tarball) {
      tarballs.set(`${lower(repository)}@${sha}`, tarball);
    },
    failNext(match, responses) {
      const same = canned.findIndex((c) => c.method === match.method && c.path.source === match.path.source);
      if (same >= 0) canned.splice(same, 1);
      if (responses.length > 0) canned.push({ method: match.method, path: match.path, responses: [...responses] });
    },
    rejectReviews(message) {
      reviewRefusal = message;
    },
    git: contents.git,
    hookDeliveries: hooks.deliveries,
    faults,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
