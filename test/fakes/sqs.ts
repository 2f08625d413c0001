import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSqs {
  url: string;
  queueUrl: string;
  sent: { queueUrl: string; body: string }[];
  /** The next SendMessage calls answer with these HTTP statuses (AWS JSON error bodies). */
  failNext(statuses: number[]): void;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
  });
}

/**
 * SQS's AWS JSON 1.0 protocol (what @aws-sdk/client-sqs speaks since 3.4xx): POST / with
 * `X-Amz-Target: AmazonSQS.SendMessage`; requests must be SigV4-signed.
 */
export async function startFakeSqs(): Promise<FakeSqs> {
  const sent: FakeSqs['sent'] = [];
  const failures: number[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(json));
      };
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) return reply(403, { __type: 'com.amazonaws.sqs#MissingAuthenticationToken', message: 'missing signature' });
      if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessage') return reply(400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `unsupported ${String(req.headers['x-amz-target'])}` });
      const status = failures.shift();
      if (status) return reply(status, { __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'fake failure' });
      const input = JSON.parse(body) as { QueueUrl: string; MessageBody: string };
      sent.push({ queueUrl: input.QueueUrl, body: input.MessageBody });
      // The SDK verifies this digest, as it does against real SQS.
      reply(200, { MessageId: `m-${sent.length}`, MD5OfMessageBody: createHash('md5').update(input.MessageBody).digest('hex') });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    queueUrl: `${url}/123456789012/fluxline-jobs`,
    sent,
    failNext: (statuses) => failures.push(...statuses),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
