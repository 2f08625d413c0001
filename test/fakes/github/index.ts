import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { createFaults, githubFailure, type Faults } from '../faults';
import { createRouter, parseBody, type Reply } from '../router';
import { mountAppManifests, type FakeAppManifests } from './app-manifests';
import { createAuthority, generateAppKeyPair, mountApps, type AppKeyPair } from './apps';
import { mountCheckRuns, type FakeCheckRun } from './checks';
import { mountCompare, type FakeComparedFile, type FakeComparison } from './compare';
import { mountContents, type FakeGit } from './contents';
import { mountHookDeliveries, type FakeHookDeliveries } from './deliveries';
import { mountIssueComments, type FakeComment } from './issues';
import { mountPulls, type FakeFile, type FakeReview } from './pulls';
import { DOCS, error, lower, notFound, type GithubHandler, type GithubRooms, type Json } from './shared';
import { mountTarballs, type TarballOptions } from './tarballs';

/**
 * An HTTP fake of the GitHub REST API for the routes Fluxline calls, on 127.0.0.1 and a random port.
 * It authenticates like GitHub (app JWT verified with the app's public key, installation tokens bound
 * to the repositories of their installation), paginates with real Link headers, redirects tarballs to
 * a codeload-like host that needs no auth, and answers with GitHub's response and error shapes.
 * One room (file) per API area registers its routes on the shared router (../router.ts): apps.ts,
 * pulls.ts, issues.ts, checks.ts, contents.ts, tarballs.ts, deliveries.ts.
 */

export { generateAppKeyPair };
export type { AppKeyPair, FakeComparedFile, FakeComparison, FakeComment, FakeFile, FakeGit, FakeHookDeliveries, FakeReview };
export type { FakeHookDelivery, NewHookDelivery } from './deliveries';

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
  setTarball(repository: string, sha: string, tarball: Buffer, options?: TarballOptions): void;
  /** What GET /compare/{base}...{head} answers: how far head is behind base, and base's tip (compare.ts). */
  setCompare(repository: string, base: string, head: string, comparison: FakeComparison): void;
  comments: FakeComment[];
  /** Check runs created through the API, with the statuses each went through (checks.ts). */
  checkRuns: FakeCheckRun[];
  reviews: FakeReview[];
  requests: FakeRequest[];
  /** Canned answers for the next calls matching method and path (tested against path + query); [] clears. */
  failNext(match: { method: string; path: RegExp }, responses: CannedResponse[]): void;
  /**
   * Lets the next calls matching method and path take effect (a comment is created) and then answers them
   * with these responses instead: GitHub's answer lost on the way back (a 5xx after the write). [] clears.
   */
  failAfterEffect(match: { method: string; path: RegExp }, responses: CannedResponse[]): void;
  /** Until called with undefined, reviews answer 422 with this message in `errors`. */
  rejectReviews(message: string | undefined): void;
  /** Branches and files of repositories, with the commits and pull requests made through the API (contents.ts). */
  git: FakeGit;
  /** The App webhook's deliveries and redeliveries (deliveries.ts). */
  hookDeliveries: FakeHookDeliveries;
  /** The App manifest flow: codes as github.com's redirect carries them, and their conversions (app-manifests.ts). */
  appManifests: FakeAppManifests;
  /** Outages and failed first attempts (faults.ts), keyed by `METHOD /path`; also `POST /__fake/faults`. Injected failures are not in `requests`. */
  faults: Faults;
  stop(): Promise<void>;
}

/** What the Authorization header looked like, never the credential. */
function authKind(authorization: string | undefined): FakeRequest['auth'] {
  if (!authorization) return 'none';
  const [scheme = '', credential = ''] = authorization.split(/\s+/, 2);
  return lower(scheme) === 'bearer' && credential.split('.').length === 3 ? 'jwt' : 'installation';
}

/** The headers GitHub puts on every answer. */
const githubHeaders = (): Record<string, string> => ({
  'content-type': 'application/json; charset=utf-8',
  'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
  'x-github-api-version-selected': '2022-11-28',
  'x-ratelimit-limit': '5000',
  'x-ratelimit-remaining': '4999',
  'x-ratelimit-used': '1',
  'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
  'x-ratelimit-resource': 'core',
});

export async function startFakeGithub(options: { appId: string; publicKey: string; now?: () => number }): Promise<FakeGithub> {
  const faults = createFaults(options.now ? { now: options.now } : {});
  const canned: { method: string; path: RegExp; responses: CannedResponse[] }[] = [];
  const afterEffect: typeof canned = [];
  let url = '';

  function takeCanned(method: string, pathAndQuery: string, from = canned): Reply | undefined {
    const entry = from.find((c) => c.method === method && c.path.test(pathAndQuery));
    const next = entry?.responses.shift();
    if (entry && entry.responses.length === 0) from.splice(from.indexOf(entry), 1);
    if (!next) return undefined;
    const body = next.body ?? (next.status >= 400 ? { message: STATUS_CODES[next.status] ?? 'Error', documentation_url: DOCS } : '');
    return { status: next.status, body, ...(next.headers ? { headers: next.headers } : {}) };
  }

  const router = createRouter<FakeRequest>({
    faults: { faults, reply: githubFailure },
    record: ({ method, path, query, headers }) => ({ method, path, query, auth: authKind(headers.authorization), authorizationSent: Boolean(headers.authorization), userAgent: headers['user-agent'] ?? '' }),
    // GitHub reads every body as JSON, whatever its Content-Type says.
    before: async ({ method, url: requestUrl, raw }) => takeCanned(method, requestUrl.pathname + requestUrl.search) ?? ('problem' in (await parseBody('application/json', raw)) ? error(400, 'Problems parsing JSON') : undefined),
    notFound,
    onError: (err, stage) => error(500, `fake GitHub ${stage === 'faults' ? 'faults ' : ''}failed: ${err instanceof Error ? err.message : String(err)}`),
    headers: githubHeaders,
  });

  const authority = createAuthority(options);
  const open = (method: string, pattern: string, handler: GithubHandler, guard: (request: { authorization: string | undefined; repository: string }) => Reply | undefined = () => undefined) =>
    router.route(method, pattern, async (request) => {
      const { owner, repo } = request.params;
      const parsed = await parseBody('application/json', request.raw);
      const githubRequest = { url: request.url, params: request.params, body: 'value' in parsed ? parsed.value : {}, authorization: request.headers.authorization, repository: owner !== undefined && repo !== undefined ? `${owner}/${repo}` : '' };
      const refused = guard(githubRequest);
      if (refused) return refused;
      const answer = handler(githubRequest);
      const lost = answer.status < 300 ? takeCanned(request.method, request.url.pathname + request.url.search, afterEffect) : undefined;
      return lost ?? answer;
    });
  const rooms: GithubRooms = {
    url: () => url,
    open: (method, pattern, handler) => open(method, pattern, handler),
    app: (method, pattern, handler) => open(method, pattern, handler, ({ authorization }) => authority.authenticate(authorization, { app: true })),
    repo: (method, rest, handler) => open(method, `/repos/:owner/:repo${rest}`, handler, ({ authorization, repository }) => authority.authenticate(authorization, { repository })),
    ids: { next: 1_000 },
  };

  const git = mountContents(rooms);
  const hookDeliveries = mountHookDeliveries(rooms);
  mountApps(rooms, authority);
  const appManifests = mountAppManifests(rooms, options.now);
  const pulls = mountPulls(rooms);
  const tarballs = mountTarballs(rooms);
  const compare = mountCompare(rooms);
  const { comments } = mountIssueComments(rooms, pulls, authority.app);
  const { checkRuns } = mountCheckRuns(rooms);
  url = await router.listen();

  return {
    url,
    installations: authority.installations,
    comments,
    checkRuns,
    reviews: pulls.reviews,
    requests: router.requests,
    addPullRequest: pulls.addPullRequest,
    pullRequest: pulls.pullRequest,
    setTarball: (repository, sha, tarball, tarballOptions) => {
      tarballs.setTarball(repository, sha, tarball, tarballOptions);
      git.fromTarball(repository, sha, tarball);
    },
    setCompare: compare.setCompare,
    failNext(match, responses) {
      const same = canned.findIndex((c) => c.method === match.method && c.path.source === match.path.source);
      if (same >= 0) canned.splice(same, 1);
      if (responses.length > 0) canned.push({ method: match.method, path: match.path, responses: [...responses] });
    },
    failAfterEffect(match, responses) {
      const same = afterEffect.findIndex((c) => c.method === match.method && c.path.source === match.path.source);
      if (same >= 0) afterEffect.splice(same, 1);
      if (responses.length > 0) afterEffect.push({ method: match.method, path: match.path, responses: [...responses] });
    },
    rejectReviews: pulls.rejectReviews,
    git,
    hookDeliveries,
    appManifests,
    faults,
    stop: router.stop,
  };
}
