import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mintEksToken } from '../../lib/adapters/kube';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2024-01-02T03:04:05Z');

// aws-iam-authenticator pkg/token/token.go: the only query parameters the server-side verifier accepts.
const AUTHENTICATOR_PARAMETERS = ['action', 'version', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-security-token', 'x-amz-signature', 'x-amz-signedheaders'];

function decode(token: string): URL {
  expect(token.startsWith('k8s-aws-v1.')).toBe(true);
  const encoded = token.slice('k8s-aws-v1.'.length);
  expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** SigV4 as AWS documents it ("Create a signed AWS API request"), written from the spec, not from the SDK. */
function expectedSignature(url: URL, secretAccessKey: string, clusterName: string): string {
  const query = [...url.searchParams.entries()]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [rfc3986(key), rfc3986(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = ['GET', '/', query, `host:${url.host}`, `x-k8s-aws-id:${clusterName}`, '', 'host;x-k8s-aws-id', createHash('sha256').update('').digest('hex')].join('\n');
  const [day = '', region = ''] = (url.searchParams.get('X-Amz-Credential') ?? '').split('/').slice(1, 3);
  const scope = `${day}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', url.searchParams.get('X-Amz-Date'), scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), 'sts'), 'aws4_request');
  return hmac(key, stringToSign).toString('hex');
}

describe('the EKS bearer token', () => {
  it('is a presigned STS GetCallerIdentity URL, as aws-iam-authenticator and `aws eks get-token` make it', async () => {
    // Act
    const url = decode(await mintEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials, signingDate }));

    // Assess
    expect(url.origin).toBe('https://sts.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20240102/eu-west-1/sts/aws4_request',
      'X-Amz-Date': '20240102T030405Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
  });

  it('carries a signature that SigV4, computed independently, agrees with', async () => {
    // Act
    const url = decode(await mintEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials, signingDate }));

    // Assess
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, credentials.secretAccessKey, 'prod'));
  });

  it('is deterministic for fixed inputs and bound to the cluster name', async () => {
    // Act
    const first = await mintEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials, signingDate });
    const again = await mintEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials, signingDate });
    const otherCluster = await mintEksToken({ clusterName: 'stage', region: 'eu-west-1', credentials, signingDate });

    // Assess
    expect(again).toBe(first);
    expect(decode(otherCluster).searchParams.get('X-Amz-Signature')).not.toBe(decode(first).searchParams.get('X-Amz-Signature'));
    expect(decode(otherCluster).searchParams.get('X-Amz-Signature')).toBe(expectedSignature(decode(otherCluster), credentials.secretAccessKey, 'stage'));
  });

  it('carries the session token of temporary credentials (the Lambda role) and nothing the authenticator rejects', async () => {
    // Act
    const url = decode(await mintEksToken({ clusterName: 'prod', region: 'us-east-1', credentials: { ...credentials, sessionToken: 'IQoJb3JpZ2luX2VjE+/=' }, signingDate }));

    // Assess
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('IQoJb3JpZ2luX2VjE+/=');
    for (const key of url.searchParams.keys()) expect(AUTHENTICATOR_PARAMETERS).toContain(key.toLowerCase());
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, credentials.secretAccessKey, 'prod'));
  });

  it("signs for the China partition's STS host in cn- regions", async () => {
    // Act
    const url = decode(await mintEksToken({ clusterName: 'prod', region: 'cn-north-1', credentials, signingDate }));

    // Assess
    expect(url.host).toBe('sts.cn-north-1.amazonaws.com.cn');
  });
});
