import { generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import type { Reply } from '../router';
import { DOCS, error, lower, notFound, userObject, type GithubRooms, type Json } from './shared';

/**
 * Apps and installations: the App's JWT (verified with its public key, with GitHub's claim checks),
 * installation tokens bound to the repositories of their installation, and the routes that mint them
 * (GET /app, POST /app/installations/{id}/access_tokens, GET /repos/{owner}/{repo}/installation).
 */

export interface AppKeyPair {
  privateKey: string;
  publicKey: string;
}

/** Who may call: the App itself (its JWT), or an installation token that must cover `repository`. */
export type Need = { app: true } | { repository: string };

export interface Authority {
  /** owner/repo -> installation id. */
  installations: Map<string, number>;
  installationOf(repository: string): number | undefined;
  /** undefined when the Authorization header is good enough for `need`, else GitHub's answer. */
  authenticate(authorization: string | undefined, need: Need): Reply | undefined;
  app: Json & { id: number; slug: string; permissions: Json; events: string[] };
  tokens: Map<string, { installationId: number; expiresAt: number }>;
}

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

const base64url = (text: string) => Buffer.from(text, 'base64url');

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

export function createAuthority(options: { appId: string; publicKey: string }): Authority {
  const installations = new Map<string, number>();
  const tokens = new Map<string, { installationId: number; expiresAt: number }>();
  const app = { id: Number(options.appId), slug: 'fluxline', node_id: 'MDM6QXBwMQ==', owner: userObject('acme', 'Organization'), name: 'Fluxline', permissions: { checks: 'write', contents: 'write', issues: 'write', metadata: 'read', pull_requests: 'write' }, events: ['check_run', 'pull_request'] };
  const installationOf = (repository: string) => [...installations].find(([name]) => lower(name) === lower(repository))?.[1];

  function authenticate(authorization: string | undefined, need: Need): Reply | undefined {
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

  return { installations, installationOf, authenticate, app, tokens };
}

export function mountApps(rooms: GithubRooms, authority: Authority): void {
  const { app, installations, tokens } = authority;
  const installationObject = (id: number, owner: string): Json => ({
    id,
    account: userObject(owner, 'Organization'),
    app_id: app.id,
    app_slug: app.slug,
    target_type: 'Organization',
    repository_selection: 'selected',
    permissions: app.permissions,
    events: app.events,
    access_tokens_url: `${rooms.url()}/app/installations/${id}/access_tokens`,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
  });

  rooms.app('GET', '/app', () => ({ status: 200, body: app }));

  rooms.app('POST', '/app/installations/:id(\\d+)/access_tokens', ({ params }) => {
    const installationId = Number(params.id);
    if (![...installations.values()].includes(installationId)) return notFound();
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = Date.now() + 3_600_000;
    tokens.set(token, { installationId, expiresAt });
    return { status: 201, body: { token, expires_at: new Date(expiresAt).toISOString(), permissions: app.permissions, repository_selection: 'selected' } };
  });

  rooms.app('GET', '/repos/:owner/:repo/installation', ({ params }) => {
    const { owner = '', repo = '' } = params;
    const id = authority.installationOf(`${owner}/${repo}`);
    return id === undefined ? error(404, 'Not Found', { documentation_url: `${DOCS}/apps/apps#get-a-repository-installation-for-the-authenticated-app` }) : { status: 200, body: installationObject(id, owner) };
  });
}
