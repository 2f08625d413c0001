import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from '../../lib/adapters/http-client/node-http-fetch';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('nodeHttpFetch (WebClient and Octokit over node:http)', () => {
  let server: Server;
  let base: string;
  const received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (req.url === '/api/moved') {
          res.writeHead(302, { location: '/elsewhere' }).end();
        } else if (req.url === '/api/elsewhere-origin') {
          // the same server under another name: another origin for fetch's redirect rules
          res.writeHead(307, { location: `http://localhost:${(server.address() as AddressInfo).port}/api/landed` }).end();
        } else if (req.url === '/api/hang') {
          // never answers: the caller's signal has to end it
        } else {
          res.writeHead(200, 'OK', { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write, files:write' });
          res.end(JSON.stringify({ ok: true, ts: '1.000100' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts the body and answers with the status, headers and body WebClient reads', async () => {
    // Act
    const response = await nodeHttpFetch(`${base}/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-test' },
      body: 'channel=C0FLUX&text=h%C3%A9',
      redirect: 'error',
    });

    // Assess
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/api/chat.postMessage', body: 'channel=C0FLUX&text=h%C3%A9', headers: { authorization: 'Bearer xoxb-test', 'content-length': '27' } });
    expect(response).toMatchObject({ ok: true, status: 200, statusText: 'OK', url: `${base}/chat.postMessage` });
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('retry-after')).toBeNull();
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({ 'x-oauth-scopes': 'chat:write, files:write' });
    expect(await response.json()).toEqual({ ok: true, ts: '1.000100' });
  });

  it('refuses a redirect when asked to, as fetch does with redirect: error', async () => {
    await expect(nodeHttpFetch(`${base}/moved`, { method: 'POST', body: '', redirect: 'error' })).rejects.toThrow(/unexpected redirect \(HTTP 302\)/);
  });

  it('follows a redirect as fetch does: a POST after a 302 arrives as a GET without its body', async () => {
    // Act
    const response = await nodeHttpFetch(`${base}/moved`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });

    // Assess
    expect(response).toMatchObject({ status: 200, url: expect.stringMatching(/\/elsewhere$/) as unknown });
    expect(received.at(-1)).toMatchObject({ method: 'GET', url: '/elsewhere', body: '' });
    expect(received.at(-1)?.headers['content-type']).toBeUndefined();
  });

  it('keeps the method and body through a 307 but does not carry Authorization to another origin', async () => {
    // Act
    const response = await nodeHttpFetch(`${base}/elsewhere-origin`, { method: 'PUT', headers: { authorization: 'token ghs_secret' }, body: 'x=1' });

    // Assess
    expect(response.url).toMatch(/^http:\/\/localhost:\d+\/api\/landed$/);
    expect(received.at(-2)?.headers.authorization).toBe('token ghs_secret');
    expect(received.at(-1)).toMatchObject({ method: 'PUT', url: '/api/landed', body: 'x=1' });
    expect(received.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('hands back a 3xx untouched with redirect: manual, and headers Octokit can iterate', async () => {
    // Act
    const response = await nodeHttpFetch(`${base}/moved`, { redirect: 'manual' });

    // Assess
    expect(response.status).toBe(302);
    expect(Object.fromEntries(response.headers)).toMatchObject({ location: '/elsewhere' });
  });

  it('stops waiting when its signal aborts', async () => {
    // Prepare
    const controller = new AbortController();

    // Act
    const answer = nodeHttpFetch(`${base}/hang`, { method: 'POST', body: 'x', signal: controller.signal });
    controller.abort();

    // Assess
    await expect(answer).rejects.toThrow(/abort/i);
  });

  it('hands a multipart body (a file upload) to the global fetch', async () => {
    // Prepare
    const form = new FormData();
    form.append('file', new Blob(['report']), 'diff.txt');

    // Act
    const response = await nodeHttpFetch(`${base}/upload`, { method: 'POST', body: form });

    // Assess
    expect(response.status).toBe(200);
    expect(received.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(received.at(-1)?.body).toContain('report');
  });
});
