import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** Static AWS credentials or a provider of them (`@aws-sdk/credential-provider-node` defaultProvider()). */
export type AwsCredentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

type SignableRequest = Parameters<SignatureV4['presign']>[0];

/**
 * The bearer token EKS accepts, minted in-process because the Lambda has no aws CLI. It is what
 * aws-iam-authenticator (pkg/token/token.go) and `aws eks get-token` produce: a SigV4-presigned
 * `GET sts.<region>/?Action=GetCallerIdentity&Version=2011-06-15` whose signature covers the header
 * `x-k8s-aws-id: <cluster name>` (so a token for one cluster is useless on another), encoded as
 * `k8s-aws-v1.` + unpadded base64url of the URL. The API server's authenticator replays the URL to STS to
 * learn the caller's IAM identity.
 *
 * X-Amz-Expires is 60 as in the reference implementation: STS ignores it and the token is valid for 15
 * minutes after X-Amz-Date, but authenticators up to 0.3.0 reject values above 60.
 */
export async function mintEksToken(input: { clusterName: string; region: string; credentials: AwsCredentials; signingDate: Date }): Promise<string> {
  const hostname = stsHostname(input.region);
  const signer = new SignatureV4({ service: 'sts', region: input.region, credentials: input.credentials, sha256: Sha256 });
  const request: SignableRequest = {
    method: 'GET',
    protocol: 'https:',
    hostname,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { host: hostname, 'x-k8s-aws-id': input.clusterName },
  };
  const presigned = await signer.presign(request, { expiresIn: 60, signingDate: input.signingDate });
  const url = `https://${hostname}/?${queryString(presigned.query ?? {})}`;
  return `k8s-aws-v1.${Buffer.from(url).toString('base64url')}`;
}

/** Regional STS endpoint, as the authenticator expects (it verifies the host against the partition's list). */
export function stsHostname(region: string): string {
  return `sts.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

function queryString(query: Record<string, string | (string | null)[] | null>): string {
  return Object.keys(query)
    .sort()
    .flatMap((key) => {
      const value = query[key];
      const values = Array.isArray(value) ? value : [value];
      return values.filter((item): item is string => typeof item === 'string').map((item) => `${rfc3986(key)}=${rfc3986(item)}`);
    })
    .join('&');
}

/** SigV4 canonical encoding; encodeURIComponent leaves !'()* alone. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
