import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function responseOf(url: string, status: number, statusText: string, headers: IncomingHttpHeaders, body: Buffer): FetchResponse {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    headers: {
      get: (name) => headerValue(headers[name.toLowerCase()]),
      entries: () => Object.entries(headers).map(([name, value]): [string, string] => [name, headerValue(value) ?? '']),
    },
    arrayBuffer: () => Promise.resolve(new Uint8Array(body).buffer),
    json: () => Promise.resolve(JSON.parse(body.toString('utf8')) as unknown),
    text: () => Promise.resolve(body.toString('utf8')),
  };
}

/**
 * WebClient's transport (its `fetch` option, typed FetchFunction for this purpose) over node:http(s).
 * Node loads its fetch (undici) on the first call: ~15 ms of a cold start's first Slack call, where
 * node:http(s) is already loaded for the AWS SDK. Web API calls are POSTs of url-encoded strings;
 * anything else (the FormData of a file upload) goes to the global fetch.
 */
export const nodeHttpFetch: FetchFunction = (url, init = {}) => {
  const { body, method = 'GET', headers = {}, signal, redirect = 'follow' } = init;
  if (body !== undefined && typeof body !== 'string') return fetch(url, init);
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const length = body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const request = send(target, { method, headers: { ...headers, ...length }, ...(signal ? { signal } : {}) }, (response) => {
      const status = response.statusCode ?? 0;
      // WebClient asks for redirect: 'error', as fetch would refuse one; a redirect it does not ask about is not followed either.
      if (redirect === 'error' && REDIRECTS.has(status)) {
        response.resume();
        reject(new TypeError(`unexpected redirect (HTTP ${status}) from ${target.origin}`));
        return;
      }
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(responseOf(target.href, status, response.statusMessage ?? '', response.headers, Buffer.concat(chunks))));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
};
