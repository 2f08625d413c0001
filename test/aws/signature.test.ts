import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 as JsSha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import fc from 'fast-check';
import { awsCredentials } from './arbitraries';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsJsonRequest } from '../../lib/adapters/aws';

interface Captured {
  headers: IncomingHttpHeaders;
  body: string;
}

// What awsJsonRequest puts on the wire, checked against the oracle; test/aws/sigv4.test.ts tests the signer itself.
describe('SigV4 signature of awsJsonRequest', () => {
  let server: Server;
  let endpoint: string;
  let last: Captured | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        last = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));


  it('equals what @smithy/signature-v4 with @aws-crypto/sha256-js computes independently for the same request', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          ...awsCredentials,
          region: fc.constantFrom('eu-west-1', 'us-east-1', 'ap-southeast-2', 'cn-north-1'),
          service: fc.constantFrom('sqs', 'ssm'),
          operation: fc.stringMatching(/^[A-Z][A-Za-z]{2,30}$/),
          // Any JSON, unicode included: the payload hash covers the UTF-8 bytes
          body: fc.jsonValue(),
        }),
        async ({ accessKeyId, secretAccessKey, sessionToken, region, service, operation, body }) => {
          // Prepare
          const credentials = sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };

          // Act
          await awsJsonRequest({ service, target: `Amazon.${operation}`, contentType: 'application/x-amz-json-1.1', body, region, credentials, endpoint });

          // Assess
          const sent = last as Captured;
          const authorization = String(sent.headers.authorization);
          const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
          const date = String(sent.headers['x-amz-date']);
          const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
          const independent = await new SignatureV4({ service, region, credentials, sha256: JsSha256 }).sign(
            {
              method: 'POST',
              protocol: 'http:',
              hostname: '127.0.0.1',
              path: '/',
              query: {},
              headers: Object.fromEntries(signedHeaders.map((name) => [name, String(sent.headers[name])])),
              body: sent.body,
            },
            { signingDate },
          );
          expect(authorization).toBe(independent.headers.authorization);
          expect(signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type', ...(sessionToken ? ['x-amz-security-token'] : [])]));
          expect(JSON.parse(sent.body)).toEqual(JSON.parse(JSON.stringify(body)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
