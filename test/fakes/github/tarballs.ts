import { randomBytes } from 'node:crypto';
import type { Reply } from '../router';
import { lower, notFound, type GithubRooms } from './shared';

/**
 * Tarballs: GET /repos/{owner}/{repo}/tarball/{ref} answers 302 to a codeload-like route of this fake
 * that needs no Authorization header (a short-lived token in the URL instead, as codeload.github.com).
 */

export interface TarballOptions {
  /** Where the 302 sends the client instead of this fake's codeload route: a host that stalls (black-hole.ts). */
  archiveUrl?: string;
  /** Answer the API call itself 200 with the archive, as some GitHub Enterprise Server setups do, instead of the 302. */
  inline?: boolean;
}

export function mountTarballs(rooms: GithubRooms): { setTarball: (repository: string, sha: string, tarball: Buffer, options?: TarballOptions) => void } {
  const tarballs = new Map<string, Buffer>();
  const archiveUrls = new Map<string, string>();
  const inline = new Set<string>();
  const codeloadTokens = new Set<string>();

  rooms.repo('GET', '/tarball/:ref+', ({ repository, params }) => {
    const ref = decodeURIComponent(params.ref ?? '');
    const tarball = tarballs.get(`${lower(repository)}@${ref}`);
    if (!tarball) return notFound();
    if (inline.has(`${lower(repository)}@${ref}`)) return { status: 200, body: tarball, headers: { 'content-type': 'application/x-gzip' } };
    // codeload.github.com accepts the short-lived token in the URL, not our Authorization header.
    const token = randomBytes(12).toString('hex');
    codeloadTokens.add(token);
    const elsewhere = archiveUrls.get(`${lower(repository)}@${ref}`);
    if (elsewhere) return { status: 302, body: '', headers: { location: `${elsewhere}/${repository}/legacy.tar.gz/${encodeURIComponent(ref)}?token=${token}` } };
    return { status: 302, body: '', headers: { location: `${rooms.url()}/_codeload/${repository}/legacy.tar.gz/${encodeURIComponent(ref)}?token=${token}` } };
  });

  rooms.open('GET', '/_codeload/:owner/:repo/legacy.tar.gz/:ref+', ({ repository, params, url }): Reply => {
    const ref = decodeURIComponent(params.ref ?? '');
    const tarball = tarballs.get(`${lower(repository)}@${ref}`);
    if (!tarball || !codeloadTokens.has(url.searchParams.get('token') ?? '')) return { status: 404, body: '404: Not Found', headers: { 'content-type': 'text/plain; charset=utf-8' } };
    return { status: 200, body: tarball, headers: { 'content-type': 'application/x-gzip', 'content-disposition': `attachment; filename=${repository.replace('/', '-')}-${ref.slice(0, 7)}.tar.gz` } };
  });

  return {
    setTarball: (repository, sha, tarball, options = {}) => {
      tarballs.set(`${lower(repository)}@${sha}`, tarball);
      if (options.archiveUrl) archiveUrls.set(`${lower(repository)}@${sha}`, options.archiveUrl);
      else archiveUrls.delete(`${lower(repository)}@${sha}`);
      if (options.inline) inline.add(`${lower(repository)}@${sha}`);
      else inline.delete(`${lower(repository)}@${sha}`);
    },
  };
}
