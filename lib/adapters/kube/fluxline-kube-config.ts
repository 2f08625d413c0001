// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import type { RequestOptions } from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';
import type { Impersonation } from './cluster-target';

export interface ConnectionBehaviour {
  impersonate?: Impersonation;
  /** Applied to every request of the generated API clients, so an unreachable cluster fails fast. */
  requestTimeoutMs: number;
  /** A bearer token that changes over the connection's life (an EKS token is valid 15 minutes). */
  bearerToken?: () => Promise<string>;
  /** The owner's: aborting it aborts every request, in flight or to come. */
  signal?: AbortSignal;
}

/**
 * A KubeConfig whose every request carries the connection's impersonation, current token and timeout.
 *
 * Why a subclass: client-node 2.x only knows `as` (Impersonate-User) in a kubeconfig user, not groups,
 * and `makeApiClient` builds its configuration internally with the KubeConfig as the only hook, calling
 * `applySecurityAuthentication` on every request of every generated API (and `applyToHTTPSOptions` for
 * watch, exec, logs). Overriding both keeps `kubeConfig.makeApiClient(AnyApi)` correct for every caller,
 * without each call site having to remember extra headers.
 */
export class FluxlineKubeConfig extends KubeConfig {
  constructor(private readonly behaviour: ConnectionBehaviour) {
    super();
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    for (const [name, value] of Object.entries(await this.extraHeaders())) context.setHeaderParam(name, value);
    const signals = [context.getSignal(), AbortSignal.timeout(this.behaviour.requestTimeoutMs), this.behaviour.signal].filter((signal): signal is AbortSignal => signal !== undefined);
    context.setSignal(AbortSignal.any(signals));
  }

  override async applyToHTTPSOptions(opts: RequestOptions): Promise<void> {
    await super.applyToHTTPSOptions(opts);
    const extra = await this.extraHeaders();
    const headers = opts.headers ?? {};
    // Node also accepts headers as a flat [name, value, ...] list.
    if (this.behaviour.signal) opts.signal = opts.signal ? AbortSignal.any([opts.signal, this.behaviour.signal]) : this.behaviour.signal;
    opts.headers = Array.isArray(headers) ? [...(headers as readonly string[]), ...Object.entries(extra).flat()] : { ...headers, ...extra };
  }

  private async extraHeaders(): Promise<Record<string, string>> {
    const { impersonate, bearerToken } = this.behaviour;
    return {
      ...(bearerToken ? { Authorization: `Bearer ${await bearerToken()}` } : {}),
      // https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation
      ...(impersonate ? { 'Impersonate-User': impersonate.user } : {}),
      ...(impersonate?.groups[0] ? { 'Impersonate-Group': impersonate.groups[0] } : {}),
    };
  }
}
