import { createHash } from 'node:crypto';
import { Sha256 as JsSha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { awsCredentials } from './arbitraries';
import { describe, expect, it } from 'vitest';
import type { AwsCredentials } from '../../lib/adapters/aws';
import { signRequest, type SigningRequest } from '../../lib/adapters/aws/sigv4';

/**
 * The oracle: @smithy/signature-v4 (what the AWS SDK signs with) over the pure-JavaScript SHA-256 of
 * @aws-crypto, so it shares no code with lib/adapters/aws/sigv4 (node:crypto). `uriEscapePath` as for every
 * service but S3, as the fakes use it.
 */
async function smithyAuthorization(request: SigningRequest): Promise<string> {
  const url = typeof request.url === 'string' ? new URL(request.url) : request.url;
  // No prototype: a query key `__proto__` (fast-check finds it) must be a key like any other.
  const query = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  const signer = new SignatureV4({
    service: request.service,
    region: request.region,
    credentials: request.credentials,
    sha256: JsSha256,
    uriEscapePath: true,
    applyChecksum: request.contentSha256Header ?? true,
  });
  const signed = await signer.sign(
    { method: request.method, protocol: url.protocol, hostname: url.hostname, path: url.pathname, query, headers: { ...request.headers, host: url.host }, body: request.body },
    { signingDate: request.now },
  );
  return String(signed.headers.authorization);
}

// AWS's SigV4 test suite (docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html, 2015-08-30
// edition): its example key, scope us-east-1/service, and the published signatures.
const SUITE_CREDENTIALS: AwsCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
// The suite predates x-amz-content-sha256 on every request, so its vectors are signed without it.
const SUITE = { service: 'service', region: 'us-east-1', credentials: SUITE_CREDENTIALS, now: new Date('2015-08-30T12:36:00Z'), contentSha256Header: false };

const LAMBDA_CREDENTIALS: AwsCredentials = { accessKeyId: 'ASIAEXAMPLEKEY', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE' };

describe('signRequest', () => {
  it.each([
    ['get-vanilla', 'GET', 'https://example.amazonaws.com/', {}, '', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'],
    ['get-vanilla-query-order-key-case', 'GET', 'https://example.amazonaws.com/?Param2=value2&Param1=value1', {}, '', 'host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'],
    ['post-vanilla', 'POST', 'https://example.amazonaws.com/', {}, '', 'host;x-amz-date', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'],
    [
      'post-x-www-form-urlencoded',
      'POST',
      'https://example.amazonaws.com/',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      'Param1=value1',
      'content-type;host;x-amz-date',
      'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
    ],
  ])('signs the test suite’s %s exactly as AWS publishes it', (_vector, method, url, headers, body, signedHeaders, signature) => {
    // Act
    const signed = signRequest({ ...SUITE, method, url, headers, body });

    // Assess
    expect(signed.authorization).toBe(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`);
    expect(signed['x-amz-date']).toBe('20150830T123600Z');
  });

  it('returns every header to send, lower-cased, with host from the URL and the session token signed', () => {
    // Prepare: the shape json-request sends, to a local endpoint on a non-default port
    const headers = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.SendMessage' };

    // Act
    const signed = signRequest({
      method: 'POST',
      url: new URL('http://127.0.0.1:4566/'),
      headers,
      body: '{"QueueUrl":"q","MessageBody":"é"}',
      service: 'sqs',
      region: 'eu-west-1',
      credentials: LAMBDA_CREDENTIALS,
      now: new Date('2026-03-01T23:59:59.999Z'),
    });

    // Assess
    expect(Object.keys(signed).sort()).toEqual(['authorization', 'content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-amz-target']);
    expect(signed).toMatchObject({
      host: '127.0.0.1:4566',
      'x-amz-date': '20260301T235959Z',
      'x-amz-security-token': LAMBDA_CREDENTIALS.sessionToken,
      'x-amz-content-sha256': createHash('sha256').update('{"QueueUrl":"q","MessageBody":"é"}', 'utf8').digest('hex'),
    });
    expect(signed.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEKEY\/20260301\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(headers).toEqual({ 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.SendMessage' });
  });

  it('derives a new signing key when the secret rotates, the day changes, or the region or service differs', async () => {
    // Prepare: one sequence through the key cache, each step checked against the oracle. A cache keyed on
    // less than (secret, day, region, service) hands a later step an earlier step's key.
    const base = { method: 'POST', url: 'https://sqs.eu-west-1.amazonaws.com/', headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}', service: 'sqs', region: 'eu-west-1' };
    const rotated = { ...LAMBDA_CREDENTIALS, secretAccessKey: 'another/secret/of/the/same/key/EXAMPLEKEY' };
    const steps: SigningRequest[] = [
      { ...base, credentials: LAMBDA_CREDENTIALS, now: new Date('2026-03-01T10:00:00Z') },
      { ...base, credentials: rotated, now: new Date('2026-03-01T10:00:01Z') },
      { ...base, credentials: LAMBDA_CREDENTIALS, now: new Date('2026-03-02T00:00:00Z') },
      { ...base, credentials: LAMBDA_CREDENTIALS, now: new Date('2026-03-02T00:00:00Z'), region: 'us-east-1' },
      { ...base, credentials: LAMBDA_CREDENTIALS, now: new Date('2026-03-02T00:00:00Z'), service: 'ssm' },
      { ...base, credentials: LAMBDA_CREDENTIALS, now: new Date('2026-03-01T10:00:00Z') },
    ];

    for (const step of steps) {
      // Act
      const signed = signRequest(step);

      // Assess
      expect(signed.authorization).toBe(await smithyAuthorization(step));
    }
  });

  it('refuses to sign at an invalid instant rather than send a malformed x-amz-date', () => {
    // Act
    const signing = () => signRequest({ ...SUITE, method: 'GET', url: 'https://example.amazonaws.com/', headers: {}, body: '', now: new Date(Number.NaN) });

    // Assess
    expect(signing).toThrow(RangeError);
  });

  // Any text, astral planes and the characters URI encoding treats specially included.
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.constantFrom(...'aZ09-_.~ !\'()*%+&=/?#:@é€😀'), maxLength: 12 }));

  it('computes the Authorization header @smithy/signature-v4 computes, for any request of the JSON protocol shape', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          ...awsCredentials,
          region: fc.oneof(fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2', 'cn-north-1', 'us-gov-west-1'), fc.stringMatching(/^[a-z]{2}-[a-z]{4,9}-\d$/)),
          service: fc.oneof(fc.constantFrom('sqs', 'ssm'), fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/)),
          target: fc.tuple(fc.stringMatching(/^Amazon[A-Z]{2,5}$/), fc.stringMatching(/^[A-Z][A-Za-z]{2,30}$/)).map(([prefix, operation]) => `${prefix}.${operation}`),
          contentType: fc.constantFrom('application/x-amz-json-1.0', 'application/x-amz-json-1.1'),
          // Any JSON, unicode included: the payload hash covers the UTF-8 bytes
          body: fc.jsonValue({ stringUnit: 'binary' }).map((value) => JSON.stringify(value)),
          secure: fc.boolean(),
          port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
          path: fc.array(fc.oneof(text, fc.constantFrom('', '.', '..')), { maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
          query: fc.array(fc.tuple(text, text), { maxLength: 4 }),
          now: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        }),
        async ({ accessKeyId, secretAccessKey, sessionToken, region, service, target, contentType, body, secure, port, path, query, now }) => {
          // Prepare
          const credentials = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
          const url = new URL(`${secure ? 'https' : 'http'}://${service}.${region}.amazonaws.com${port ? `:${port}` : ''}`);
          url.pathname = path;
          // `__proto__` is left out: the oracle's getCanonicalQuery collects into a plain `{}`, where assigning
          // that key sets the prototype, so @smithy drops the parameter from what it signs (AWS does not).
          url.search = new URLSearchParams(query.filter(([name]) => name.toLowerCase() !== 'x-amz-signature' && name !== '__proto__')).toString();
          const request: SigningRequest = { method: 'POST', url, headers: { 'content-type': contentType, 'x-amz-target': target }, body, service, region, credentials, now };

          // Act
          const signed = signRequest(request);

          // Assess
          expect(signed.authorization).toBe(await smithyAuthorization(request));
          expect(signed['x-amz-security-token']).toBe(sessionToken);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('canonicalises header values as @smithy/signature-v4 does: names in any case, values trimmed and inner runs of spaces made one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.stringMatching(/^x-fl-[a-z0-9-]{1,12}$/), fc.stringMatching(/^[\t -~]{0,30}$/), fc.boolean()), { selector: ([name]) => name, maxLength: 5 }),
        async (extra) => {
          // Prepare
          const headers = Object.fromEntries(extra.map(([name, value, upper]) => [upper ? name.toUpperCase() : name, value]));
          const request: SigningRequest = { ...SUITE, method: 'POST', url: 'https://example.amazonaws.com/', headers: { ...headers, 'content-type': 'application/x-amz-json-1.1' }, body: '{}' };

          // Act
          const signed = signRequest(request);

          // Assess
          expect(signed.authorization).toBe(await smithyAuthorization(request));
        },
      ),
      { numRuns: 200 },
    );
  });
});
