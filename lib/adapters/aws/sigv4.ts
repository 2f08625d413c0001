import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentials } from './credentials';

// AWS Signature Version 4, header form, written for the lean client's one case (a POST of the AWS JSON
// protocol) so the ingress bundles do not carry @smithy/signature-v4 (~14 KB minified). Every step
// follows "Create a signed AWS API request" (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html,
// earlier docs.aws.amazon.com/general/latest/gr/sigv4-create-canonical-request.html); test/aws/sigv4.test.ts
// holds it to AWS's published test-suite vectors and to @smithy/signature-v4 on random requests.

export interface SigningRequest {
  /** `POST`; upper case as sent. */
  method: string;
  /** The full URL sent to: host, path and query are all signed. */
  url: URL | string;
  /**
   * Headers to sign and send (`content-type`, `x-amz-target`); any case. All of them are signed, so pass
   * none that a proxy may rewrite. `host` is added from the URL when missing.
   */
  headers: Readonly<Record<string, string>>;
  /** The exact body sent; its UTF-8 bytes are hashed. */
  body: string;
  /** Signing name: `sqs`, `ssm`. */
  service: string;
  region: string;
  credentials: AwsCredentials;
  /** The signing instant; AWS refuses a signature more than 15 minutes away from its clock. */
  now: Date;
  /**
   * Send and sign `x-amz-content-sha256`, the payload hash, as the AWS SDK does on every request
   * (@smithy/signature-v4 `applyChecksum`). SQS and SSM do not require it; S3 does; AWS's SigV4 test suite
   * signs without it.
   * @default true
   */
  contentSha256Header?: boolean;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * The headers to send: the request's own, lower-cased, plus `host`, `x-amz-date`, `x-amz-content-sha256`,
 * `x-amz-security-token` (with a session token, as Lambda's role credentials always have) and `authorization`.
 */
export function signRequest(request: SigningRequest): Record<string, string> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  // ISO 8601 basic format, UTC: 20150830T123600Z; the scope uses its date part.
  const amzDate = request.now.toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const { accessKeyId, secretAccessKey, sessionToken } = request.credentials;

  const payloadHash = sha256Hex(request.body);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host ??= url.host;
  headers['x-amz-date'] = amzDate;
  if (request.contentSha256Header ?? true) headers['x-amz-content-sha256'] = payloadHash;
  // The token is signed like any header: "add the X-Amz-Security-Token header ... before signing" (create-signed-request.html).
  if (sessionToken) headers['x-amz-security-token'] = sessionToken;

  // Canonical headers: lower-case names sorted by character code; values with leading and trailing
  // spaces removed and sequential spaces made one ("Trimall"), as the SDKs do for tabs and line breaks too.
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((name) => `${name}:${(headers[name] ?? '').replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '')}\n`).join('');
  const signedHeaders = names.join(';');

  const canonicalRequest = [
    request.method,
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    canonicalHeaders,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', signingKey(secretAccessKey, day, request.region, request.service)).update(stringToSign).digest('hex');

  headers.authorization = `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/**
 * "Normalize URI paths according to RFC 3986. Remove redundant and relative path components. Each path
 * segment must be URI-encoded twice (except for Amazon S3 which only gets URI-encoded once)." A WHATWG
 * `pathname` is already encoded once, so one more encoding of each segment makes two. Empty is `/`.
 */
function canonicalUri(pathname: string): string {
  const segments: string[] = [];
  for (const segment of pathname.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(segment));
  }
  if (!segments.length) return '/';
  return `/${segments.join('/')}${pathname.endsWith('/') ? '/' : ''}`;
}

/**
 * Each name and value URI-encoded, then sorted by encoded name, and by value where a name repeats; a
 * name without a value keeps its `=` (`Param1=`). No query is the empty string.
 */
function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([aName, aValue], [bName, bValue]) => compare(aName, bName) || compare(aValue, bValue))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * RFC 3986 encoding as SigV4 defines it: everything but the unreserved `A-Z a-z 0-9 - _ . ~` becomes
 * %XY in upper-case hex, the space %20 (not `+`). encodeURIComponent leaves `!'()*` alone, so they are added.
 */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). It changes
 * once a day per secret, region and service, so it is derived once and kept; the cache is bounded because
 * Lambda's role credentials rotate (every few hours) for as long as the execution environment lives.
 */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 50;

function signingKey(secret: string, day: string, region: string, service: string): Buffer {
  const cacheKey = `${day}\n${region}\n${service}\n${secret}`;
  const cached = signingKeys.get(cacheKey);
  if (cached) return cached;
  let key: Buffer = Buffer.from(`AWS4${secret}`, 'utf8');
  for (const part of [day, region, service, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.delete(signingKeys.keys().next().value ?? '');
  signingKeys.set(cacheKey, key);
  return key;
}
