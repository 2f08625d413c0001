import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP executor as a team would write one from docs/executors/ (no Fluxline code): it checks the
 * signature over `v0:<timestamp>:<raw body>` and the timestamp window itself, then answers whatever the
 * test wants, including what a broken or hostile executor answers.
 */
export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  signatureValid: boolean;
}

export type Answer = (request: ReceivedRequest, res: ServerResponse) => void;

export interface FakeExecutorEndpoint {
  /** `http://127.0.0.1:PORT/run` */
  url: string;
  received: ReceivedRequest[];
  /** What the next requests get; by default, a 401 to a bad signature and else a one-line message. */
  answer(answer: Answer): void;
  /** Connections the server saw closed by the client (proof a client stopped reading). */
  closedEarly(): number;
  stop(): Promise<void>;
}

export function signatureIsValid(secret: string, headers: IncomingHttpHeaders, body: string, nowSeconds: number): boolean {
  const timestamp = String(headers['x-fluxline-request-timestamp'] ?? '');
  const signature = String(headers['x-fluxline-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const json = (res: ServerResponse, status: number, value: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

export async function startFakeExecutorEndpoint(secret: string): Promise<FakeExecutorEndpoint> {
  const received: ReceivedRequest[] = [];
  const defaultAnswer: Answer = (request, res) =>
    request.signatureValid ? json(res, 200, { blocks: [{ type: 'text', text: `ran ${request.body.length} bytes` }] }) : json(res, 401, { error: 'bad signature' });
  let current = defaultAnswer;
  let closedEarly = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const request = { headers: req.headers, body, signatureValid: signatureIsValid(secret, req.headers, body, Math.floor(Date.now() / 1000)) };
      received.push(request);
      res.on('close', () => {
        if (!res.writableFinished) closedEarly++;
      });
      current(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/run`,
    received,
    answer: (answer) => {
      current = answer;
    },
    closedEarly: () => closedEarly,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
