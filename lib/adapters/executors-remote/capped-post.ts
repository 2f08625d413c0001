import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface CappedPostOptions {
  /** The socket must be connected (TLS included) within this. */
  connectTimeoutMs: number;
  /** The whole exchange, connect to last byte, within this. */
  timeoutMs: number;
  /** The answer's body is read up to this many bytes, and the exchange dropped past it. */
  maxResponseBytes: number;
}

export interface CappedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How a POST ended without an answer to read. */
export type CappedPostFailure = { kind: 'connect-timeout' } | { kind: 'timeout' } | { kind: 'too-large' } | { kind: 'unreachable'; code: string };

export class CappedPostError extends Error {
  constructor(readonly failure: CappedPostFailure) {
    super(failure.kind === 'unreachable' ? `unreachable (${failure.code})` : failure.kind);
    this.name = 'CappedPostError';
  }
}

/**
 * One POST over node:http(s) with what fetch lacks for a peer Fluxline does not control: a connect
 * timeout apart from the total one, and a cap on the answer that stops reading (and drops the
 * connection) at the first byte over it instead of buffering whatever is sent. Redirects are not
 * followed: the answer is returned as is. No agent keeps the socket, so every call connects afresh and
 * the connect timeout always applies. Only the headers given are sent.
 */
export function cappedPost(url: URL, headers: Record<string, string>, body: string, options: CappedPostOptions): Promise<CappedResponse> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<CappedResponse>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (outcome: { ok: CappedResponse } | { failure: CappedPostFailure }) => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      if ('ok' in outcome) resolve(outcome.ok);
      else {
        reject(new CappedPostError(outcome.failure));
        outgoing.destroy();
      }
    };
    const outgoing = send(url, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxResponseBytes) return finish({ failure: { kind: 'too-large' } });
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) finish({ failure: { kind: 'too-large' } });
        else chunks.push(chunk);
      });
      response.on('end', () => finish({ ok: { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) } }));
      response.on('error', (err: NodeJS.ErrnoException) => finish({ failure: { kind: 'unreachable', code: err.code ?? err.name } }));
    });
    timers.push(setTimeout(() => finish({ failure: { kind: 'timeout' } }), options.timeoutMs));
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return;
      const connect = setTimeout(() => finish({ failure: { kind: 'connect-timeout' } }), options.connectTimeoutMs);
      timers.push(connect);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connect));
    });
    outgoing.on('error', (err: NodeJS.ErrnoException) => finish({ failure: { kind: 'unreachable', code: err.code ?? err.name } }));
    outgoing.end(body);
  });
}
