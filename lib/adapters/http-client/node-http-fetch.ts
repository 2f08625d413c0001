import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The part of fetch's RequestInit that WebClient and Octokit pass. */
export interface NodeFetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | null;
  redirect?: 'follow' | 'error' | 'manual';
}

/** The part of fetch's Response that WebClient and Octokit read (Octokit iterates the headers). */
export interface NodeFetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: {
    get(name: string): string | null;
    entries(): Iterable<[string, string]>;
    [Symbol.iterator](): Iterator<[string, string]>;
  };
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** fetch's own limit. */
const MAX_REDIRECTS = 20;

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function responseOf(url: string, response: IncomingMessage, body: Buffer): NodeFetchResponse {
  const status = response.statusCode ?? 0;
  const headers: IncomingHttpHeaders = response.headers;
  const entries = () => Object.entries(headers).map(([name, value]): [string, string] => [name, headerValue(value) ?? '']);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: response.statusMessage ?? '',
    url,
    headers: { get: (name) => headerValue(headers[name.toLowerCase()]), entries, [Symbol.iterator]: () => entries()[Symbol.iterator]() },
    arrayBuffer: () => Promise.resolve(new Uint8Array(body).buffer),
    json: () => Promise.resolve(JSON.parse(body.toString('utf8')) as unknown),
    text: () => Promise.resolve(body.toString('utf8')),
  };
}

/**
 * fetch over node:http(s), for the JSON and form calls of Slack's WebClient and Octokit (their `fetch`
 * options). Node loads its own fetch (undici) on the first call: ~15 ms of a cold start, where
 * node:http(s) is already loaded for the AWS SDK, and each warm call costs less without WHATWG streams.
 * Redirects are followed as fetch follows them (303, and 301/302 after a POST, become a GET; the
 * Authorization header is not sent to another origin). A body that is not a string (a file upload's
 * FormData) goes to the global fetch; a streamed response body (tarballs) is nodeHttpStreamingFetch's.
 */
export async function nodeHttpFetch(url: string | URL, init: NodeFetchInit = {}): Promise<NodeFetchResponse> {
  if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') return fetch(url, init as RequestInit);
  const { url: answered, response } = await exchange(url, init);
  return read(answered, response);
}

/** A response whose body is the socket's stream, read as it arrives (Octokit's `parseSuccessResponseBody: false` hands it over as `data`). */
export interface NodeStreamingResponse extends NodeFetchResponse {
  readonly body: IncomingMessage;
}

/**
 * nodeHttpFetch for a body read as a stream (a repository tarball): `body` is the node:http response
 * itself, a Readable of Buffers, with no WHATWG stream between the socket and the reader (issue #20: Node's
 * fetch cost a cold worker ~30 ms of CPU to load undici, and every chunk a trip through web streams).
 * text(), json() and arrayBuffer() read it whole, for an error answer. The signal aborts the request
 * and, after the headers, the body (the reader then sees the stream fail). String bodies only.
 */
export async function nodeHttpStreamingFetch(url: string | URL, init: NodeFetchInit = {}): Promise<NodeStreamingResponse> {
  if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new TypeError('nodeHttpStreamingFetch sends string bodies only');
  const { url: answered, response } = await exchange(url, init);
  let whole: Promise<Buffer> | undefined;
  const bytes = () => (whole ??= collect(response));
  return {
    ...responseOf(answered, response, Buffer.alloc(0)),
    body: response,
    arrayBuffer: async () => new Uint8Array(await bytes()).buffer,
    json: async () => JSON.parse((await bytes()).toString('utf8')) as unknown,
    text: async () => (await bytes()).toString('utf8'),
  };
}

/** Sends the request, following redirects as fetch does; the last response's body is left unread. */
async function exchange(url: string | URL, init: NodeFetchInit): Promise<{ url: string; response: IncomingMessage }> {
  let target = new URL(url);
  let { method = 'GET', headers = {}, body } = init;
  for (let redirects = 0; ; redirects++) {
    const response = await send(target, method, headers, typeof body === 'string' ? body : undefined, init.signal ?? undefined);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECTS.has(status) || !location || init.redirect === 'manual') return { url: target.href, response };
    response.resume();
    if (init.redirect === 'error') throw new TypeError(`unexpected redirect (HTTP ${status}) from ${target.origin}`);
    if (redirects === MAX_REDIRECTS) throw new TypeError(`too many redirects from ${new URL(url).origin}`);
    const next = new URL(location, target);
    if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)));
    }
    if (next.origin !== target.origin) headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
    target = next;
  }
}

function send(target: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const outgoing = request(target, { method, headers: { ...headers, ...length }, ...(signal ? { signal } : {}) }, resolve);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function read(url: string, response: IncomingMessage): Promise<NodeFetchResponse> {
  return collect(response).then((body) => responseOf(url, response, body));
}

function collect(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks)));
    response.on('error', reject);
  });
}
