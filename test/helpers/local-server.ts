import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { handleSlackRequest } from '../../functions/slack';
import { text, type HttpResponse } from '../../lib/core/http/response';
import { apiGatewayEvent } from './api-gateway';

/**
 * The HTTP routes of `npm start` (serverless offline in front of the handlers), for tests of what posts to
 * them (the Socket Mode and webhook proxy relays): each request becomes the API Gateway v2 event the Lambda
 * handler receives, bytes kept (base64), and each answer is recorded for the test to wait on.
 */
export interface LocalServer {
  url: string;
  answers: { path: string; status: number; body: string }[];
  /** Resolves with the `n`th answer (1-based), now or when it comes. */
  answer(n: number): Promise<{ path: string; status: number; body: string }>;
  stop(): Promise<void>;
}

export async function startLocalServer(env: Record<string, string>): Promise<LocalServer> {
  const answers: LocalServer['answers'] = [];
  const waiters: { n: number; resolve: (answer: LocalServer['answers'][number]) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://local').pathname;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
      const event = apiGatewayEvent(path, Buffer.concat(chunks).toString('latin1'), headers, { sourceIp: '127.0.0.1' });
      event.body = Buffer.concat(chunks).toString('base64');
      event.isBase64Encoded = true;
      const handled: Promise<HttpResponse> = path === '/github/webhook' ? handleGithubWebhook(event, env) : path.startsWith('/slack/') ? handleSlackRequest(event, { env }) : Promise.resolve(text(404, 'no such route'));
      void handled.then((response) => {
        const answer = { path, status: response.statusCode, body: response.body ?? '' };
        answers.push(answer);
        res.writeHead(response.statusCode, (response.headers ?? {}) as Record<string, string>).end(answer.body);
        for (const waiter of waiters.filter((w) => w.n === answers.length)) waiter.resolve(answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answers,
    answer(n) {
      const known = answers[n - 1];
      return known ? Promise.resolve(known) : new Promise((resolve) => waiters.push({ n, resolve }));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
