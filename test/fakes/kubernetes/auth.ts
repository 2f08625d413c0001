import type { IncomingMessage } from 'node:http';
import { status } from './resources';

/**
 * Authentication, impersonation and authorization in the API server's filter order: a bearer token
 * (401 Status when bad), Impersonate-User / Impersonate-Group (500 for groups without a user, 403 when
 * the caller may not impersonate), then RBAC as rules a test sets (403 with the API server's wording).
 */

/** What an RBAC check sees: the effective (impersonated, if any) identity and the request's attributes. */
export interface AccessRequest {
  user: string;
  groups: string[];
  verb: string;
  resource: string;
  group: string;
  namespace?: string;
  name?: string;
}

export type ForbidRule = ((request: AccessRequest) => boolean) | { user?: string; group?: string; resource?: string; verb?: string };

/** Who a request is, or the Status the API server answers before looking at the path. */
export interface Identity {
  auth: 'bearer-ok' | 'bearer-bad' | 'none';
  impersonateUser?: string;
  impersonateGroups: string[];
  user: string;
  groups: string[];
  rejection?: { code: number; body: unknown };
}

export function identify(req: IncomingMessage, tokenOk: (token: string) => boolean, identity = 'system:serviceaccount:fluxline:worker'): Identity {
  const authorization = req.headers.authorization ?? '';
  const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
  const auth = bearer === undefined ? 'none' : tokenOk(bearer) ? 'bearer-ok' : 'bearer-bad';
  const impersonateUser = req.headersDistinct['impersonate-user']?.[0];
  const impersonateGroups = req.headersDistinct['impersonate-group'] ?? [];
  const user = impersonateUser ?? (auth === 'bearer-ok' ? identity : 'system:anonymous');
  const groups = impersonateUser ? [...impersonateGroups, 'system:authenticated'] : auth === 'bearer-ok' ? ['system:authenticated'] : ['system:unauthenticated'];
  const who = { auth, ...(impersonateUser ? { impersonateUser } : {}), impersonateGroups, user, groups } as const;
  const reject = (code: number, body: unknown): Identity => ({ ...who, rejection: { code, body } });

  if (auth === 'bearer-bad' || (authorization && auth === 'none')) return reject(401, status(401, 'Unauthorized', 'Unauthorized'));
  if (impersonateGroups.length > 0 && !impersonateUser) {
    return reject(500, status(500, 'InternalError', `Internal error occurred: requested [${impersonateGroups.map((group) => `{Group  ${group}  authentication.k8s.io/v1  }`).join(' ')}] without impersonating a user`));
  }
  if (impersonateUser && auth !== 'bearer-ok') {
    return reject(403, status(403, 'Forbidden', `users "${impersonateUser}" is forbidden: User "system:anonymous" cannot impersonate resource "users" in API group "" at the cluster scope`, { name: impersonateUser, kind: 'users' }));
  }
  return who;
}

export function matches(rule: ForbidRule, request: AccessRequest): boolean {
  if (typeof rule === 'function') return rule(request);
  return (!rule.user || rule.user === request.user) && (!rule.group || request.groups.includes(rule.group)) && (!rule.resource || rule.resource === request.resource) && (!rule.verb || rule.verb === request.verb);
}
