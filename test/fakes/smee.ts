import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A webhook proxy channel as smee.io serves it to smee-client: `GET /<channel>` with
 * `Accept: text/event-stream` opens a server-sent event stream (a `ready` event first); each webhook the
 * channel received is one `message` event whose data is JSON: the request's headers (lower-cased), `body`
 * (the parsed JSON body) and `query`, and a `timestamp`.
 */
export interface FakeSmee {
  /** The channel URL (WEBHOOK_PROXY_URL). */
  url: string;
  /** Resolves once a client is listening on the channel. */
  connected(): Promise<void>;
  /** Relays a webhook the channel received to every listener. */
  deliver(headers: Record<string, string>, rawBody: string): void;
  stop(): Promise<void>;
}

export async function startFakeSmee(channel = 'fluxlineTestChannel'): Promise<FakeSmee> {
  const listeners: ServerResponse[] = [];
  let waiting: (() => void)[] = [];
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== `/${channel}` || !(req.headers.accept ?? '').includes('text/event-stream')) {
      res.writeHead(404).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('event: ready\ndata: {}\n\n');
    listeners.push(res);
    req.on('close', () => listeners.splice(listeners.indexOf(res), 1));
    const resolved = waiting;
    waiting = [];
    for (const resolve of resolved) resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/${channel}`,
    connected: () => (listeners.length > 0 ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
    deliver(headers, rawBody) {
      const data = { host: 'smee.io', ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body: JSON.parse(rawBody) as unknown, query: {}, timestamp: Date.now() };
      for (const listener of listeners) listener.write(`id: ${data.timestamp}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const listener of listeners) listener.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
