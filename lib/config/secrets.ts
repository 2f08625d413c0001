import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { Env } from './env';
import { ConfigError, MissingEnvironmentVariable } from './errors';

/**
 * A secret by its variable name. Locally it is the variable itself (`SLACK_SIGNING_SECRET`); in AWS the
 * deployed function only has `<NAME>_PARAM`, the SSM SecureString that holds it, read through Powertools
 * Parameters (see decryptedParameter).
 */
export async function readSecret(env: Env, name: string): Promise<string | undefined> {
  const plain = env[name];
  if (plain) return plain;
  const parameter = env[`${name}_PARAM`];
  if (!parameter) return undefined;
  return decryptedParameter(parameter);
}

/** SecureStrings decrypted, cached five minutes so a warm function does not call SSM per request. */
async function decryptedParameter(name: string): Promise<string | undefined> {
  return (await getParameter(name, { decrypt: true, maxAge: 300 })) || undefined;
}

/** An SSM parameter that must hold something (config, kubeconfigs). */
export async function readParameter(name: string): Promise<string> {
  const value = await decryptedParameter(name);
  if (!value) throw new ConfigError(`SSM parameter ${name} is empty or missing`);
  return value;
}

export async function requireSecret(env: Env, name: string, hint: string): Promise<string> {
  const value = await readSecret(env, name);
  if (!value) throw new MissingEnvironmentVariable(name, hint);
  return value;
}
