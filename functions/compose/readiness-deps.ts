import { awsOptionsFromEnv, fetchParameters, regionFromEnv } from '../../lib/adapters/aws';
import { readParameter } from '../../lib/adapters/secrets';
import type { Env } from '../../lib/core/config';
import type { ReadinessDeps } from '../../lib/flows/readiness';

/** The readiness check's view of AWS: READINESS_PARAMETERS (comma-separated, from serverless.yml), SSM without decryption, config decrypted. */
export function readinessDepsOf(env: Env): ReadinessDeps {
  return {
    region: regionFromEnv(env),
    parameters: (env.READINESS_PARAMETERS ?? '').split(',').map((name) => name.trim()).filter(Boolean),
    configLocation: env.FLUXLINE_CONFIG,
    missingOf: async (names) => (await fetchParameters(awsOptionsFromEnv(env, 'ssm'), names, { decrypt: false })).missing,
    readParameter: (name) => readParameter(name, env),
  };
}
