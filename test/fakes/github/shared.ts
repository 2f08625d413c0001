import { createHash } from 'node:crypto';
import type { Reply } from '../router';

/**
 * What the rooms of the GitHub fake share: GitHub's error and user shapes, Link-header pagination, and
 * `GithubRooms`, what a room registers its routes with (index.ts puts the authentication in front).
 */

export type Json = Record<string, unknown>;

export interface GithubRequest {
  url: URL;
  params: Record<string, string>;
  /** The JSON body (index.ts answers 400 before routing when it is not a JSON object). */
  body: Json;
  authorization: string | undefined;
  /** owner/repo when the path names one (`:owner/:repo`), as the caller spelled it; else ''. */
  repository: string;
}
export type GithubHandler = (request: GithubRequest) => Reply;

export interface GithubRooms {
  /** The fake's base URL (known once it listens). */
  url: () => string;
  /** A route that needs no credentials (codeload). */
  open(method: string, pattern: string, handler: GithubHandler): void;
  /** A route that needs the App's JWT. */
  app(method: string, pattern: string, handler: GithubHandler): void;
  /** A route under /repos/:owner/:repo, for an installation token that covers that repository. */
  repo(method: string, rest: string, handler: GithubHandler): void;
  /** Comments and reviews take their ids from one counter. */
  ids: { next: number };
}

export const DOCS = 'https://docs.github.com/rest';
/** The bot user GitHub shows for comments and reviews made with an installation token. */
export const BOT_LOGIN = 'fluxline[bot]';

export const error = (status: number, message: string, extra: Json = {}): Reply => ({ status, body: { message, documentation_url: DOCS, status: String(status), ...extra } });
export const notFound = () => error(404, 'Not Found');
export const validationFailed = (resource: string, field: string, code: string, message?: string) =>
  error(422, 'Validation Failed', { errors: [{ resource, code, field, ...(message ? { message } : {}) }] });

export const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
export const lower = (repository: string) => repository.toLowerCase();

export function userObject(login: string, type: string): Json {
  const id = parseInt(sha1(login).slice(0, 7), 16);
  return { login, id, node_id: Buffer.from(`04:User${id}`).toString('base64'), avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`, url: `https://api.github.com/users/${encodeURIComponent(login)}`, html_url: `https://github.com/${login}`, type, site_admin: false };
}

/** One page of `items` and GitHub's Link header (first/prev/next/last, with the request's other query parameters). */
export function paginate<T>(items: T[], url: URL): { page: T[]; headers: Record<string, string> } {
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
