import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { nodeHttpStreamingFetch } from '../http-client/node-http-fetch';
import type { GithubClient } from './client';
import { GithubError, TarballTimedOut, TarballTooLarge } from './errors';
import { statusOf } from './request-error';

export interface TarballRequest {
  owner: string;
  repo: string;
  /** A commit SHA (preferred: immutable), branch or tag. The base repository serves its fork PRs' head SHAs too. */
  ref: string;
  /** Past this many compressed bytes the download is aborted with TarballTooLarge. */
  maxBytes: number;
  /**
   * Budget of the whole download, redirect included, and of `consume` reading it.
   * @default 60000
   */
  timeoutMs?: number;
  /** Gives up on the download (the caller no longer needs it); the consumer then sees its stream fail. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function isByteStream(data: unknown): data is IncomingMessage {
  return data instanceof Readable;
}

/**
 * GET /repos/{owner}/{repo}/tarball/{ref}, handed to `consume` as a stream of the compressed bytes while
 * they arrive: nothing holds the whole archive. Past `maxBytes` the stream fails with TarballTooLarge;
 * when `consume` fails or returns before the end, the download is cancelled.
 *
 * GitHub answers 302 to codeload.github.com with a short-lived token in the URL; we follow that redirect
 * ourselves, without our Authorization header. fetch would drop the header on a cross-origin redirect,
 * but keeps it on a same-origin one (a GitHub Enterprise Server may redirect on its own host): following
 * by hand means the installation token never leaves the API call.
 */
export async function streamTarball<T>(client: GithubClient, request: TarballRequest, consume: (archive: Readable) => Promise<T>): Promise<T> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const timer = AbortSignal.timeout(timeoutMs);
  const done = new AbortController();
  const signal = AbortSignal.any([timer, done.signal, ...(request.signal ? [request.signal] : [])]);
  try {
    const body = await open(client, request, signal);
    return await consume(Readable.from(capped(body, request), { objectMode: false }));
  } catch (err) {
    // The one signal covers the API call, the redirect and every read of the body: a host that sends
    // headers and then stalls aborts here too, with a bare AbortError or "aborted"; say what it means.
    if (timer.aborted) throw new TarballTimedOut(`${request.owner}/${request.repo}`, request.ref, timeoutMs, { cause: err });
    throw err;
  } finally {
    // Whatever `consume` did not read is not downloaded.
    done.abort();
  }
}

/** The body's chunks, failing as soon as their sum passes maxBytes (a lying or missing content-length). */
async function* capped(body: AsyncIterable<Buffer>, { owner, repo, ref, maxBytes }: TarballRequest): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new TarballTooLarge(`${owner}/${repo}`, ref, maxBytes);
    yield chunk;
  }
}

async function open(client: GithubClient, request: TarballRequest, signal: AbortSignal): Promise<IncomingMessage> {
  const { owner, repo, ref, maxBytes } = request;
  const repository = `${owner}/${repo}`;

  let response;
  try {
    response = await client.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
      owner,
      repo,
      ref,
      // The archive is read as a stream: node:http's own response, not Node's fetch (see nodeHttpStreamingFetch).
      request: { fetch: nodeHttpStreamingFetch, redirect: 'manual', parseSuccessResponseBody: false, signal },
    });
  } catch (err) {
    if (statusOf(err) === 404) throw new GithubError(`${repository} has no commit or ref ${ref}, or the app is not installed on ${repository}`, { cause: err });
    throw err;
  }
  const body: unknown = response.data;
  // Octokit types this route as 302 only; GitHub Enterprise Server may answer otherwise.
  const status: number = response.status;

  // Some GitHub Enterprise Server setups answer 200 with the archive itself.
  if (status === 200 && isByteStream(body)) return body;
  if (isByteStream(body)) body.resume();

  const location = response.headers.location;
  if (status < 300 || status > 399 || !location) {
    throw new GithubError(`GitHub answered ${status} without a download location for the tarball of ${repository}@${ref}`);
  }
  // Never log this URL: it carries codeload's token for private repositories.
  const archive = await nodeHttpStreamingFetch(new URL(location, response.url), { signal });
  if (!archive.ok) {
    archive.body.resume();
    throw new GithubError(`downloading the tarball of ${repository}@${ref} failed: the archive host answered ${archive.status}`);
  }
  if (Number(archive.headers.get('content-length') ?? 0) > maxBytes) {
    archive.body.destroy();
    throw new TarballTooLarge(repository, ref, maxBytes);
  }
  return archive.body;
}
