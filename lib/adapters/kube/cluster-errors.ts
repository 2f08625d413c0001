// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { ApiException } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import type { ClusterConnection } from './connection';
import { ClusterAuthFailed, ClusterConfigInvalid, ClusterUnreachable, KubeApiError, KubeError } from './errors';

/** metav1.Status, the body of every API server error (https://kubernetes.io/docs/reference/using-api/api-concepts/#response-status-kind). */
const statusSchema = z.looseObject({
  kind: z.literal('Status'),
  message: z.optional(z.string()),
  reason: z.optional(z.string()),
  code: z.optional(z.number()),
});

// undici's fetch rejects with TypeError('fetch failed') whose cause carries the socket error code.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

/** Runs one API call, turning client-node's errors into the capability's errors. */
export async function callCluster<T>(connection: ClusterConnection, call: () => Promise<T>, onNotFound?: (cause: unknown) => KubeError): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toKubeError(connection, err, onNotFound);
  }
}

/**
 * client-node 2.x throws ApiException(code, body) for HTTP errors — whose own message embeds the response
 * body and headers, so it is kept only as the cause — and lets fetch's network errors through.
 */
export function toKubeError(connection: ClusterConnection, err: unknown, onNotFound?: (cause: unknown) => KubeError): KubeError {
  if (err instanceof KubeError) return err;
  const { cluster } = connection;
  const cause = { cause: err };
  if (err instanceof ApiException) {
    const code = err.code;
    const message = statusMessage(err.body);
    if (code === 404 && onNotFound) return onNotFound(err);
    if (code === 401) {
      return new ClusterAuthFailed(cluster, 401, `${message ?? 'Unauthorized'}: the credentials of ${connection.identity} are missing, invalid or expired`, cause);
    }
    if (code === 403) {
      const acting = connection.impersonate ? ` (impersonating ${describe(connection.impersonate)}; check the RBAC bound to it and that ${connection.identity} may impersonate it)` : ` (as ${connection.identity})`;
      return new ClusterAuthFailed(cluster, 403, `${message ?? 'Forbidden'}${acting}`, cause);
    }
    return new KubeApiError(cluster, code, message ?? 'no Status in the response', cause);
  }
  const host = hostOf(connection.server);
  const name = err instanceof Error ? err.name : 'Error';
  if (name === 'TimeoutError' || name === 'AbortError') return new ClusterUnreachable(cluster, host, 'no answer before the request timeout', cause);
  const code = socketCode(err);
  if (code && UNREACHABLE_CODES.has(code)) return new ClusterUnreachable(cluster, host, code, cause);
  if (code && TLS_CODES.test(code)) {
    return new ClusterConfigInvalid(cluster, `the TLS handshake with ${host} failed (${code}): check the server URL and its certificate-authority data`, cause);
  }
  return new KubeError(`cluster ${cluster}: request to ${host} failed (${code ?? name}: ${err instanceof Error ? err.message : String(err)})`, { ...cause, cluster });
}

function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const status = statusSchema.safeParse(value);
  return status.success ? status.data.message : undefined;
}

function socketCode(err: unknown): string | undefined {
  for (let current: unknown = err, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

function describe(impersonate: { user?: string; group?: string }): string {
  return [impersonate.user ? `user "${impersonate.user}"` : '', impersonate.group ? `group "${impersonate.group}"` : ''].filter(Boolean).join(' and ');
}
