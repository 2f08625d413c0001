import { credentialsFromEnv, endpointFromEnv, regionFromEnv, type AwsEnv } from './credentials';
import type { AwsCallOptions } from './json-request';

/** Region, credentials and endpoint of one service (`sqs`, `ssm`) from Lambda's environment. */
export function awsOptionsFromEnv(env: AwsEnv, service: string, overrides: Pick<AwsCallOptions, 'timeoutMs' | 'retryDelayMs'> = {}): AwsCallOptions {
  const region = regionFromEnv(env);
  return { region, credentials: credentialsFromEnv(env), endpoint: endpointFromEnv(env, service, region), ...overrides };
}
