import { afterEach, describe, expect, it } from 'vitest';
import { createFaults, githubFailure } from './faults';
import { compilePattern, createRouter, parseBody, type LoggedRequest, type Router, type RouterOptions } from './router';

/** The router the Slack and GitHub fakes share, on its own: routes, the request log, faults, bodies. */
describe('the fakes router', () => {
  let router: Router<LoggedRequest> | undefined;
  let base = '';

  function start(options: Partial<RouterOptions<LoggedRequest>> = {}) {
    router = createRouter<LoggedRequest>({
      record: (request) => request,
      notFound: ({ method, url }) => ({ status: 404, body: { message: `no route for ${method} ${url.pathname}` } }),
      onError: (err, stage) => ({ status: 500, body: `${stage}: ${(err as Error).message}` }),
      ...options,
    });
    return router;
  }
  const listen = async () => {
    base = await (router as Router<LoggedRequest>).listen();
  };

  afterEach(async () => {
    await router?.stop();
    router = undefined;
  });

  it('hands a route its path parameters, narrowed ones and multi-segment ones included', async () => {
    // Prepare
    const r = start();
    r.route('GET', '/repos/:owner/:repo/pulls/:number(\\d+)', ({ params }) => ({ status: 200, body: params }));
    r.route('GET', '/repos/:owner/:repo/contents/:path+', ({ params }) => ({ status: 200, body: params }));
    await listen();

    // Act
    const pull = await fetch(`${base}/repos/acme/fleet/pulls/42`);
    const contents = await fetch(`${base}/repos/acme/fleet/contents/clusters/stage/app.yaml?ref=main`);
    const notANumber = await fetch(`${base}/repos/acme/fleet/pulls/abc`);

    // Assess
    expect(await pull.json()).toEqual({ owner: 'acme', repo: 'fleet', number: '42' });
    expect(await contents.json()).toEqual({ owner: 'acme', repo: 'fleet', path: 'clusters/stage/app.yaml' });
    expect(notANumber.status).toBe(404);
  });

  it('answers notFound for an unknown path and for a known path with another method', async () => {
    // Prepare
    const r = start();
    r.route('GET', '/app', () => ({ status: 200, body: { id: 1 } }));
    await listen();

    // Act
    const unknown = await fetch(`${base}/nowhere`);
    const wrongMethod = await fetch(`${base}/app`, { method: 'DELETE' });

    // Assess
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'no route for GET /nowhere' });
    expect(await wrongMethod.json()).toEqual({ message: 'no route for DELETE /app' });
  });

  it('matches literal dots exactly, and `*` routes whatever the method', async () => {
    // Prepare
    const r = start();
    r.route('*', '/api/chat.postMessage', ({ method }) => ({ status: 200, body: { method } }));
    await listen();

    // Act
    const posted = await fetch(`${base}/api/chat.postMessage`, { method: 'POST' });
    const dotted = await fetch(`${base}/api/chatXpostMessage`, { method: 'POST' });

    // Assess
    expect(await posted.json()).toEqual({ method: 'POST' });
    expect(dotted.status).toBe(404);
  });

  it('logs every request in order with its method, path, query, key and arrival time, unknown routes included', async () => {
    // Prepare
    const r = start({ key: (method, url) => `${method}:${url.pathname}` });
    r.route('POST', '/things', () => ({ status: 201, body: {} }));
    await listen();

    // Act
    await fetch(`${base}/things?dry=1`, { method: 'POST', body: '{}' });
    await fetch(`${base}/missing`);

    // Assess
    expect(r.requests.map(({ method, path, query, key }) => ({ method, path, query, key }))).toEqual([
      { method: 'POST', path: '/things', query: '?dry=1', key: 'POST:/things' },
      { method: 'GET', path: '/missing', query: '', key: 'GET:/missing' },
    ]);
    expect(r.requests.every((entry) => Number.isInteger(entry.at))).toBe(true);
  });

  it('applies faults before routing: an injected failure reaches no route and is not logged', async () => {
    // Prepare
    const faults = createFaults();
    const r = start({ faults: { faults, reply: githubFailure } });
    let served = 0;
    r.route('GET', '/repos/:owner/:repo', () => {
      served += 1;
      return { status: 200, body: {} };
    });
    await listen();
    faults.failFor({ status: 503, ms: 60_000, methods: ['GET /repos/.*'] });

    // Act
    const failed = await fetch(`${base}/repos/acme/fleet`);
    const unmatched = await fetch(`${base}/elsewhere`);

    // Assess
    expect(failed.status).toBe(503);
    expect(served).toBe(0);
    expect(unmatched.status).toBe(404);
    expect(r.requests.map((entry) => entry.path)).toEqual(['/elsewhere']);
    expect(faults.counters().byKey).toEqual({ 'GET /repos/acme/fleet': 1 });
  });

  it('answers a `before` reply instead of routing, and onError when a handler throws', async () => {
    // Prepare
    const r = start({ before: ({ url }) => (url.searchParams.has('canned') ? { status: 418, body: 'canned' } : undefined) });
    r.route('GET', '/boom', () => {
      throw new Error('handler broke');
    });
    await listen();

    // Act
    const canned = await fetch(`${base}/boom?canned`);
    const broken = await fetch(`${base}/boom`);

    // Assess
    expect([canned.status, await canned.text()]).toEqual([418, 'canned']);
    expect([broken.status, await broken.text()]).toEqual([500, 'route: handler broke']);
  });

  it('sends objects as JSON, strings as text, and the default headers under a reply’s own', async () => {
    // Prepare
    const r = start({ headers: () => ({ 'x-fake': 'default', 'x-kept': 'yes' }) });
    r.route('GET', '/json', () => ({ status: 200, body: { a: 1 }, headers: { 'x-fake': 'own' } }));
    r.route('GET', '/text', () => ({ status: 200, body: 'plain' }));
    await listen();

    // Act
    const json = await fetch(`${base}/json`);
    const text = await fetch(`${base}/text`);

    // Assess
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect([json.headers.get('x-fake'), json.headers.get('x-kept')]).toEqual(['own', 'yes']);
    expect(await json.json()).toEqual({ a: 1 });
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await text.text()).toBe('plain');
  });
});

describe('parseBody', () => {
  it.each([
    ['application/json; charset=utf-8', '{"channel":"C1"}', { value: { channel: 'C1' } }],
    ['application/x-www-form-urlencoded', 'channel=C1&text=hi%20there', { value: { channel: 'C1', text: 'hi there' } }],
    ['application/json', '', { value: {} }],
    ['application/json', '{not json', { problem: 'malformed' }],
    ['application/json', '[1,2]', { problem: 'malformed' }],
    ['text/plain', 'hello', { problem: 'unsupported-type' }],
    ['', 'hello', { problem: 'no-type' }],
  ])('reads %s %j', async (contentType, body, expected) => {
    // Act
    const parsed = await parseBody(contentType, Buffer.from(body));

    // Assess
    expect(parsed).toEqual(expected);
  });

  it('keeps the text fields of a multipart form', async () => {
    // Prepare
    const form = new FormData();
    form.set('channel', 'C1');
    form.set('file', new Blob(['bytes']), 'a.txt');
    const request = new Request('http://fake', { method: 'POST', body: form });

    // Act
    const parsed = await parseBody(request.headers.get('content-type') ?? '', Buffer.from(await request.arrayBuffer()));

    // Assess
    expect(parsed).toEqual({ value: { channel: 'C1' } });
  });
});

describe('compilePattern', () => {
  it('escapes literal text and names its parameters in order', () => {
    // Act
    const { regex, names } = compilePattern('/_codeload/:owner/:repo/legacy.tar.gz/:ref+');

    // Assess
    expect(names).toEqual(['owner', 'repo', 'ref']);
    expect(regex.exec('/_codeload/acme/fleet/legacy.tar.gz/feature/x')?.slice(1)).toEqual(['acme', 'fleet', 'feature/x']);
    expect(regex.test('/_codeload/acme/fleet/legacyXtarXgz/main')).toBe(false);
  });
});
