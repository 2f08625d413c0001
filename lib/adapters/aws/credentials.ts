import { MissingAwsCredentials } from './errors';

export type AwsEnv = Readonly<Record<string, string | undefined>>;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Lambda's role credentials always have one; long-term keys used locally have none. */
  sessionToken?: string;
}

/**
 * The function role's credentials, which Lambda puts in the environment of every function
 * (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * No provider chain, no IMDS, no ~/.aws files: that is what keeps the SDK out of the ingress bundles.
 */
export function credentialsFromEnv(env: AwsEnv): AwsCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  if (!accessKeyId) throw new MissingAwsCredentials('AWS_ACCESS_KEY_ID');
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!secretAccessKey) throw new MissingAwsCredentials('AWS_SECRET_ACCESS_KEY');
  const sessionToken = env.AWS_SESSION_TOKEN;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/** Lambda sets AWS_REGION; AWS_DEFAULT_REGION is the CLI's name, which local shells often have instead. */
export function regionFromEnv(env: AwsEnv): string {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
}

/**
 * The standard service-specific endpoint variables (AWS_ENDPOINT_URL_SQS, then AWS_ENDPOINT_URL; see
 * docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), as the SDK reads them, so local
 * runs, tests and the bench point the same variables at fakes. Otherwise the service's regional endpoint.
 */
export function endpointFromEnv(env: AwsEnv, service: string, region: string): string {
  const configured = env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL;
  return configured || defaultEndpoint(service, region);
}

export function defaultEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}
