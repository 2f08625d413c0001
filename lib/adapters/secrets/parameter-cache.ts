import { awsOptionsFromEnv, fetchParameters } from '../aws';
import type { Env } from '../../core/config/env';

/** How long a parameter is kept (README: "a warm function sees the new value within 5 minutes"). */
export const PARAMETER_MAX_AGE_MS = 300_000;

export interface ParameterCacheOptions {
  /**
   * How long a value is kept: a warm function does not call SSM per request (Powertools' default too).
   * @default 300_000
   */
  maxAgeMs?: number;
  /**
   * How long "SSM has no such parameter" is kept: short, so that the operator who runs the
   * put-parameter the error suggests sees it work within a minute, yet a broken function does not call
   * SSM on every request.
   * @default 30_000
   */
  missingMaxAgeMs?: number;
  now?: () => number;
}

export interface ParameterCache {
  /** Every parameter the environment names (`*_PARAM`, `FLUXLINE_CONFIG=ssm:/name`) not fresh here, in one GetParameters call. */
  preload(env: Env): Promise<void>;
  /** A parameter's value (SecureStrings decrypted), or undefined when SSM has no such parameter. */
  get(env: Env, name: string): Promise<string | undefined>;
  clear(): void;
}

interface Entry {
  /** undefined: SSM listed it as InvalidParameters. */
  value: string | undefined;
  expiresAt: number;
}

/** The SSM parameter names an environment refers to: what one function reads on its cold start. */
export function parameterNamesOf(env: Env): string[] {
  const names = Object.entries(env)
    .filter(([key, value]) => key.endsWith('_PARAM') && value)
    .map(([, value]) => value as string);
  const config = env.FLUXLINE_CONFIG;
  if (config?.startsWith('ssm:')) names.push(config.slice('ssm:'.length));
  return [...new Set(names)].sort();
}

/**
 * The SSM parameters of a function, fetched together: on a cold start every parameter the environment
 * names arrives in ONE GetParameters call, whichever is read first (the webhook secret before the
 * runtime is built, the config and the bot token with it), and they expire together, so a warm
 * refresh is one call too. A name the environment does not name (a kubeconfig in the worker) is
 * fetched alone. Concurrent readers share the request in flight.
 */
export function createParameterCache({ maxAgeMs = PARAMETER_MAX_AGE_MS, missingMaxAgeMs = 30_000, now = () => Date.now() }: ParameterCacheOptions = {}): ParameterCache {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<void>>();
  const fresh = (name: string) => (entries.get(name)?.expiresAt ?? 0) > now();

  async function fetchMissing(env: Env, names: string[]): Promise<void> {
    const stale = names.filter((name) => !fresh(name));
    const waits = stale.flatMap((name) => inFlight.get(name) ?? []);
    const toFetch = stale.filter((name) => !inFlight.has(name));
    if (toFetch.length) {
      const request = (async () => {
        const { values } = await fetchParameters(awsOptionsFromEnv(env, 'ssm'), toFetch);
        const at = now();
        for (const name of toFetch) {
          const value = values.get(name);
          entries.set(name, { value, expiresAt: at + (value === undefined ? missingMaxAgeMs : maxAgeMs) });
        }
      })().finally(() => {
        for (const name of toFetch) inFlight.delete(name);
      });
      for (const name of toFetch) inFlight.set(name, request);
      waits.push(request);
    }
    await Promise.all(waits);
  }

  return {
    preload: (env) => fetchMissing(env, parameterNamesOf(env)),
    async get(env, name) {
      if (!fresh(name)) {
        const group = parameterNamesOf(env);
        await fetchMissing(env, group.includes(name) ? group : [name]);
      }
      return entries.get(name)?.value;
    },
    clear: () => entries.clear(),
  };
}
