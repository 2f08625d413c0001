import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent } from './api-gateway';

export const FLUX_TOKEN = 'flux-webhook-token-for-tests';

/** A body of test/fixtures/flux-events/ as text, exactly as stored (its bytes are what gets signed). */
export function fluxFixture(name: string): string {
  return readFileSync(resolve(import.meta.dirname, '../fixtures/flux-events', `${name}.json`), 'utf8');
}

/** A fixture with some fields changed: `involvedObject` and `metadata` are merged, the rest replaced. */
export function fluxEventBody(name: string, changes: Record<string, unknown> = {}): string {
  const event = JSON.parse(fluxFixture(name)) as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    event[key] = (key === 'involvedObject' || key === 'metadata') && typeof value === 'object' ? { ...(event[key] as object), ...(value as object) } : value;
  }
  return JSON.stringify(event);
}

export interface FluxSignOptions {
  secret?: string;
  /** Overrides the computed signature; null leaves the header out. */
  signature?: string | null;
  base64?: boolean;
}

/**
 * What API Gateway hands the flux-events function when notification-controller's `generic-hmac`
 * Provider posts: `X-Signature: sha256=<hex HMAC-SHA256(body)>` and the `{cluster}` path parameter.
 */
export function signedFluxEvent(cluster: string, body: string, options: FluxSignOptions = {}): APIGatewayProxyEventV2 {
  const computed = `sha256=${createHmac('sha256', options.secret ?? FLUX_TOKEN).update(body).digest('hex')}`;
  const signature = options.signature === undefined ? computed : options.signature;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Go-http-client/1.1' };
  if (signature !== null) headers['x-signature'] = signature;
  const path = `/flux/events/${cluster}`;
  const event = apiGatewayEvent(path, body, headers, { sourceIp: '10.0.12.7', ...(options.base64 ? { base64: true } : {}) });
  return { ...event, routeKey: 'POST /flux/events/{cluster}', pathParameters: { cluster } };
}
