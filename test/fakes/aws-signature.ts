import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** A key pair the fakes accept; `sessionToken` when the pair is a role session's, as in Lambda. */
export interface FakeAwsKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The test key pair (AWS's documentation example): what tests put in AWS_ACCESS_KEY_ID and friends. */
export const FAKE_AWS_KEY: FakeAwsKey = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEFAKESESSIONTOKENfortests',
};

/** The environment Lambda would give a function holding FAKE_AWS_KEY, pointed at the given fakes. */
export function fakeAwsEnv(endpoints: { sqs?: string; ssm?: string } = {}, region = 'eu-west-1'): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: FAKE_AWS_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS_KEY.secretAccessKey,
    AWS_SESSION_TOKEN: FAKE_AWS_KEY.sessionToken ?? '',
    AWS_REGION: region,
    ...(endpoints.sqs ? { AWS_ENDPOINT_URL_SQS: endpoints.sqs } : {}),
    ...(endpoints.ssm ? { AWS_ENDPOINT_URL_SSM: endpoints.ssm } : {}),
  };
}

export interface SignedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type SignatureCheck = { ok: true; key: FakeAwsKey; region: string } | { ok: false; status: number; code: string; message: string };

/** AWS refuses a request signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/**
 * Checks a SigV4 signature the way AWS does: the scope names this service, the key is known, the
 * session token is the key's, the clock is within 15 minutes, and the signature recomputed
 * independently (@smithy/signature-v4 with @aws-crypto/sha256-js, over exactly the signed headers) matches.
 * The mismatch message quotes the canonical headers, as AWS's does: clients must not log it raw.
 */
export async function checkSignature(request: SignedRequest, service: string, keys: readonly FakeAwsKey[], signatureErrorCode: string, now: number): Promise<SignatureCheck> {
  const header = headerValue(request.headers.authorization);
  if (!header) return { ok: false, status: 403, code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' };
  const match = AUTHORIZATION.exec(header);
  if (!match) return { ok: false, status: 403, code: 'IncompleteSignature', message: `Authorization header requires Credential, SignedHeaders and Signature: ${header.split(' ')[0] ?? ''}` };
  const [, accessKeyId = '', day = '', region = '', scopeService = '', signedHeaderList = '', signature = ''] = match;
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return { ok: false, status: 403, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  if (scopeService !== service) return { ok: false, status: 403, code: signatureErrorCode, message: `Credential should be scoped to correct service: '${service}'.` };
  const token = headerValue(request.headers['x-amz-security-token']);
  if ((key.sessionToken ?? '') !== (token ?? '')) return { ok: false, status: 403, code: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  const amzDate = headerValue(request.headers['x-amz-date']) ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined || !amzDate.startsWith(day)) return { ok: false, status: 400, code: 'IncompleteSignature', message: 'X-Amz-Date is missing or does not match the credential scope date' };
  if (Math.abs(now - signedAt.getTime()) > MAX_SKEW_MS) return { ok: false, status: 403, code: signatureErrorCode, message: `Signature expired: ${amzDate} is now earlier or later than 15 minutes from the server's time.` };
  const payloadHash = headerValue(request.headers['x-amz-content-sha256']);
  if (payloadHash && payloadHash !== createHash('sha256').update(request.body).digest('hex')) return { ok: false, status: 400, code: 'XAmzContentSHA256Mismatch', message: 'The provided x-amz-content-sha256 header does not match what was computed.' };

  const signedHeaders = signedHeaderList.split(';');
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, headerValue(request.headers[name]) ?? '']));
  const url = new URL(request.url, `http://${headerValue(request.headers.host) ?? 'localhost'}`);
  const signer = new SignatureV4({ service, region, credentials: key, sha256: Sha256, uriEscapePath: true });
  const expected = await signer.sign(
    { method: request.method, protocol: 'http:', hostname: url.hostname, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: request.body },
    { signingDate: signedAt },
  );
  if (String(expected.headers.authorization).endsWith(`Signature=${signature}`)) return { ok: true, key, region };
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${headers[name] ?? ''}`).join('\n');
  return {
    ok: false,
    status: 403,
    code: signatureErrorCode,
    message: `The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'${request.method}\n${url.pathname}\n\n${canonicalHeaders}\n\n${signedHeaderList}'`,
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** `20261207T002044Z` */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}
