import { ParametersNotFound, regionFromEnv } from '../aws';
import type { Env } from '../../core/config/env';
import { ConfigError, MissingEnvironmentVariable } from '../../core/config/errors';
import { createHash } from 'node:crypto';
import { createParameterCache, parameterNamesOf } from './parameter-cache';

/** One cache per container, as Lambda reuses it across invocations. */
const parameters = createParameterCache();

/**
 * Fetches every SSM parameter this function's environment names, in one GetParameters call. Called
 * where a function starts (createRuntime, the Flux events handler) so the cold start makes one SSM
 * call; reads that come first trigger the same single call anyway.
 */
export function preloadParameters(env: Env = process.env): Promise<void> {
  return parameters.preload(env);
}

/** Forgets every cached parameter (tests; a function never needs to). */
export function clearParameterCache(): void {
  parameters.clear();
}

/**
 * A secret by its variable name. Locally it is the variable itself (`SLACK_SIGNING_SECRET`); in AWS the
 * deployed function only has `<NAME>_PARAM`, the SSM SecureString that holds it (lib/adapters/aws, cached five minutes).
 */
export async function readSecret(env: Env, name: string): Promise<string | undefined> {
  const plain = env[name];
  if (plain) return plain;
  const parameter = env[`${name}_PARAM`];
  if (!parameter) return undefined;
  return (await existingParameter(env, parameter, `${name}_PARAM`)) || undefined;
}

/** An SSM parameter that must hold something (config, kubeconfigs), decrypted and cached five minutes. */
export async function readParameter(name: string, env: Env = process.env): Promise<string> {
  const value = await existingParameter(env, name);
  if (!value) throw new ConfigError(`SSM parameter ${name} is empty`);
  return value;
}

export async function requireSecret(env: Env, name: string, hint: string): Promise<string> {
  const value = await readSecret(env, name);
  if (!value) throw new MissingEnvironmentVariable(name, hint);
  return value;
}

async function existingParameter(env: Env, name: string, variable?: string): Promise<string> {
  const value = await parameters.get(env, name);
  if (value === undefined) {
    const missing = new ParametersNotFound([name], regionFromEnv(env));
    throw new ConfigError(`${variable ? `${variable}: ` : ''}${missing.message}`, { cause: missing });
  }
  return value;
}

/**
 * A digest of every parameter the environment names, as the cache has them now (one GetParameters when
 * they expired): equal digests mean nothing changed, so what was built from them can be kept.
 */
export async function parameterFingerprint(env: Env): Promise<string> {
  const names = parameterNamesOf(env);
  await parameters.preload(env);
  const hash = createHash('sha256');
  for (const name of names) hash.update(`${name}\0${(await parameters.get(env, name)) ?? '\u0001missing'}\0`);
  return hash.digest('base64');
}
