import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Faults, InjectedFailure } from './faults';

/**
 * The one small router the HTTP fakes of Slack and GitHub share, so that a new vendor route is a new
 * `route(...)` in the room (file) of its API area, not a longer server. Per request, in this order:
 * fault injection (faults.ts, before anything else, so an injected failure is neither logged nor routed),
 * the request log, the body (read whole), the vendor's `before` (canned answers, body checks), then the
 * first route whose method and path pattern match, else `notFound`.
 *
 * Path patterns are literal text with parameters: `:name` is one path segment, `:name+` one or more
 * (greedy, slashes included), and either may be narrowed with a regular expression, `:number(\\d+)`.
 */

export interface Reply {
  status: number;
  /** A Buffer (streamed in 64 KiB chunks), a string (sent as is), or JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  /** Absolute, on the fake's own base URL (so Link headers and redirects can be built from it). */
  url: URL;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The whole body. */
  raw: Buffer;
  /** What faults and canned answers call this request (RouterOptions.key). */
  key: string;
}

export type Handler = (request: RouteRequest) => Reply | Promise<Reply>;

/** What the router knows of a request when it logs it; each fake keeps the fields its tests read. */
export interface LoggedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** `?…` or ''. */
  query: string;
  /** Date.now() when it arrived. */
  at: number;
  key: string;
  headers: IncomingHttpHeaders;
}

export interface RouterOptions<Entry> {
  /** Names a request for fault injection and canned answers. @default `METHOD /path` */
  key?: (method: string, url: URL) => string;
  /** Fault injection, and how this vendor shapes an injected failure. */
  faults?: { faults: Faults; reply: (res: ServerResponse, failure: InjectedFailure) => void };
  /** The request log's entry for a request. */
  record: (request: LoggedRequest) => Entry;
  /** Runs after the body is read and before routing; a reply here ends the request. */
  before?: (request: RouteRequest) => Reply | undefined | Promise<Reply | undefined>;
  notFound: (request: RouteRequest) => Reply;
  /** The answer when a handler (or fault injection) throws. */
  onError: (err: unknown, stage: 'faults' | 'route') => Reply;
  /** Headers of every answer (a reply's own headers win); may vary per answer. */
  headers?: () => Record<string, string>;
  /** An HTTP Upgrade (a WebSocket): the vendor takes the socket; the router neither logs nor routes it. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface Router<Entry> {
  /** Registers a route; `method` '*' matches every method. Earlier routes win. */
  route(method: string, pattern: string, handler: Handler): void;
  /** Every request that reached the router (not the injected failures), in order of arrival. */
  readonly requests: Entry[];
  /** Starts listening on 127.0.0.1 and a random port; resolves to the base URL (`http://127.0.0.1:PORT`). */
  listen(): Promise<string>;
  stop: () => Promise<void>;
}

const CHUNK = 65_536;

/** Compiles a path pattern (see above) to an anchored regular expression and its parameter names. */
export function compilePattern(pattern: string): { regex: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '';
  const param = /:(\w+)(\((?:[^()]|\([^()]*\))*\))?(\+)?/y;
  for (let i = 0; i < pattern.length; ) {
    param.lastIndex = i;
    const match = pattern[i] === ':' ? param.exec(pattern) : null;
    if (match) {
      const [whole, name = '', constraint, many] = match;
      names.push(name);
      source += `(${constraint ? constraint.slice(1, -1) : many ? '.+' : '[^/]+'})`;
      i += whole.length;
    } else {
      source += (pattern[i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  return { regex: new RegExp(`^${source}$`), names };
}

/** A JSON, form or multipart body as a record of parameters (empty body: `{}`), or what is wrong with it. */
export async function parseBody(contentType: string, raw: Buffer): Promise<{ value: Record<string, unknown> } | { problem: 'malformed' | 'unsupported-type' | 'no-type' }> {
  if (raw.length === 0) return { value: {} };
  if (contentType.startsWith('application/json')) {
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'));
      return typeof body === 'object' && body !== null && !Array.isArray(body) ? { value: body as Record<string, unknown> } : { problem: 'malformed' };
    } catch {
      return { problem: 'malformed' };
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) return { value: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    return { value: Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string')) };
  }
  return { problem: contentType ? 'unsupported-type' : 'no-type' };
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function send(res: ServerResponse, reply: Reply, defaults: Record<string, string> = {}): void {
  const { body } = reply;
  const text = Buffer.isBuffer(body) || typeof body === 'string' || body === undefined;
  res.writeHead(reply.status, { 'content-type': text ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', ...defaults, ...reply.headers });
  if (!Buffer.isBuffer(body)) {
    res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
    return;
  }
  // Archives are streamed chunked, without Content-Length, as codeload does.
  for (let offset = 0; offset < body.length; offset += CHUNK) res.write(body.subarray(offset, offset + CHUNK));
  res.end();
}

export function createRouter<Entry>(options: RouterOptions<Entry>): Router<Entry> {
  const routes: { method: string; regex: RegExp; names: string[]; handler: Handler }[] = [];
  const requests: Entry[] = [];
  const keyOf = options.key ?? ((method: string, url: URL) => `${method} ${url.pathname}`);
  const reply = (res: ServerResponse, answer: Reply) => send(res, answer, options.headers?.());
  let base = '';

  async function serve(req: IncomingMessage, res: ServerResponse, method: string, url: URL, key: string): Promise<void> {
    requests.push(options.record({ method, path: url.pathname, query: url.search, at: Date.now(), key, headers: req.headers }));
    const request: RouteRequest = { method, url, params: {}, headers: req.headers, raw: await readBody(req), key };
    const early = await options.before?.(request);
    if (early) return reply(res, early);
    for (const route of routes) {
      if (route.method !== '*' && route.method !== method) continue;
      const match = route.regex.exec(url.pathname);
      if (!match) continue;
      request.params = Object.fromEntries(route.names.map((name, i) => [name, match[i + 1] ?? '']));
      return reply(res, await route.handler(request));
    }
    reply(res, options.notFound(request));
  }

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', base || 'http://fake');
    const key = keyOf(method, url);
    const intercepted = options.faults ? options.faults.faults.intercept(req, res, key, options.faults.reply) : Promise.resolve(false);
    intercepted.then(
      (answered) => (answered ? undefined : serve(req, res, method, url, key).catch((err: unknown) => reply(res, options.onError(err, 'route')))),
      (err: unknown) => reply(res, options.onError(err, 'faults')),
    );
  });

  if (options.upgrade) server.on('upgrade', options.upgrade);

  return {
    route(method, pattern, handler) {
      routes.push({ method, ...compilePattern(pattern), handler });
    },
    requests,
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return base;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients (WebClient's fetch, Octokit) keep connections alive; close them or `close` waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}
