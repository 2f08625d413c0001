import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Fault injection shared by the HTTP fakes of Slack and GitHub: an outage for a while (`failFor`), or one
 * failed first attempt per key (`failFirstAttempt`), set from a test in this process or, over HTTP, from
 * another one (`POST /__fake/faults` with `{ "failFor": {...} }` and/or `{ "failFirstAttempt": {...} }`,
 * `DELETE /__fake/faults` to clear, `GET /__fake/faults` for the counters). Each fake calls
 * `intercept` first thing in its request handler and shapes the failure the way its vendor does.
 */

export interface FailForOptions {
  /** What every matching request answers until `ms` have passed (Slack: 503 or 429; GitHub: 5xx, 403 or 429). */
  status: number;
  ms: number;
  /** Retry-After of a 429 (and of GitHub's 403 secondary rate limit). @default 1 */
  retryAfterSeconds?: number;
  /** Only requests whose key fully matches one of these regular expressions (Slack: `chat.postMessage`; GitHub: `GET /repos/[^/]+/[^/]+/pulls/\\d+/files`). @default every request */
  methods?: string[];
}

export interface FailFirstAttemptOptions {
  status: number;
  /** One key in this many (the 1st, the every+1th, … distinct key seen) fails its first request; later ones succeed. */
  every: number;
  /** As in FailForOptions. @default every request */
  methods?: string[];
  retryAfterSeconds?: number;
}

export interface FaultCounters {
  /** Requests answered with an injected failure. */
  injected: number;
  byStatus: Record<string, number>;
  /** Injected failures by request key. */
  byKey: Record<string, number>;
  /** Keys that failed their first attempt (failFirstAttempt) and were served on a later one: retries seen. */
  recovered: number;
}

/** What the fake answers instead of serving the request. */
export interface InjectedFailure {
  status: number;
  retryAfterSeconds: number;
}

export interface Faults {
  failFor(options: FailForOptions): void;
  failFirstAttempt(options: FailFirstAttemptOptions): void;
  /** Ends every fault (the counters stay). */
  clear(): void;
  counters(): FaultCounters;
  /**
   * The fake's hook. Answers the control route, or an injected failure shaped by `reply`, and then
   * returns true; returns false when the fake should serve the request. `key` names the request (Slack:
   * the method; GitHub: `METHOD /path` without the query), the unit failFirstAttempt counts.
   */
  intercept(req: IncomingMessage, res: ServerResponse, key: string, reply: (res: ServerResponse, failure: InjectedFailure) => void): Promise<boolean>;
}

export interface FaultsOptions {
  /** The clock `ms` is measured on; for tests. @default Date.now */
  now?: () => number;
}

export const FAULTS_PATH = '/__fake/faults';

type Matcher = (key: string) => boolean;

function matcher(methods: string[] | undefined): Matcher {
  if (!methods || methods.length === 0) return () => true;
  const patterns = methods.map((m) => new RegExp(`^(?:${m})$`));
  return (key) => patterns.some((p) => p.test(key));
}

function positive(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new FaultSpecError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return value;
}

function httpStatus(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) throw new FaultSpecError(`status must be an HTTP error status (400-599), got ${JSON.stringify(value)}`);
  return value;
}

function methodList(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((m) => typeof m !== 'string')) throw new FaultSpecError('methods must be a list of strings (regular expressions matched against the whole request key)');
  return value as string[];
}

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

/** Reads the control route's JSON into the two fault kinds; throws FaultSpecError with what is wrong. */
export function parseFaultSpec(body: unknown): { failFor?: FailForOptions; failFirstAttempt?: FailFirstAttemptOptions } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new FaultSpecError('expected a JSON object with failFor and/or failFirstAttempt');
  const { failFor, failFirstAttempt } = body as Record<string, unknown>;
  if (failFor === undefined && failFirstAttempt === undefined) throw new FaultSpecError('expected failFor and/or failFirstAttempt');
  const spec: ReturnType<typeof parseFaultSpec> = {};
  const retryAfter = (value: unknown) => (value === undefined ? {} : { retryAfterSeconds: positive(value, 'retryAfterSeconds') });
  const methods = (value: unknown) => {
    const list = methodList(value);
    return list ? { methods: list } : {};
  };
  if (failFor !== undefined) {
    const f = (failFor ?? {}) as Record<string, unknown>;
    spec.failFor = { status: httpStatus(f.status), ms: positive(f.ms, 'ms'), ...retryAfter(f.retryAfterSeconds), ...methods(f.methods) };
  }
  if (failFirstAttempt !== undefined) {
    const f = (failFirstAttempt ?? {}) as Record<string, unknown>;
    spec.failFirstAttempt = { status: httpStatus(f.status), every: Math.round(positive(f.every, 'every')), ...retryAfter(f.retryAfterSeconds), ...methods(f.methods) };
  }
  return spec;
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export function createFaults(options: FaultsOptions = {}): Faults {
  const now = options.now ?? Date.now;
  let outage: { until: number; status: number; retryAfterSeconds: number; matches: Matcher } | undefined;
  let firstAttempts: { status: number; every: number; retryAfterSeconds: number; matches: Matcher; seen: number; failed: Set<string>; decided: Set<string> } | undefined;
  const counters: FaultCounters = { injected: 0, byStatus: {}, byKey: {}, recovered: 0 };

  function inject(key: string, status: number, retryAfterSeconds: number): InjectedFailure {
    counters.injected++;
    counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
    counters.byKey[key] = (counters.byKey[key] ?? 0) + 1;
    return { status, retryAfterSeconds };
  }

  /** The failure to inject for this request, if any. */
  function failureFor(key: string): InjectedFailure | undefined {
    if (outage?.matches(key)) {
      if (now() < outage.until) return inject(key, outage.status, outage.retryAfterSeconds);
      outage = undefined;
    }
    const f = firstAttempts;
    if (!f?.matches(key)) return undefined;
    if (!f.decided.has(key)) {
      f.decided.add(key);
      // The 1st, every+1th, … distinct key: an exact share whatever order concurrent requests arrive in.
      if (f.seen++ % f.every === 0) {
        f.failed.add(key);
        return inject(key, f.status, f.retryAfterSeconds);
      }
      return undefined;
    }
    if (f.failed.delete(key)) counters.recovered++;
    return undefined;
  }

  const faults: Faults = {
    failFor({ status, ms, retryAfterSeconds = 1, methods }) {
      outage = { until: now() + ms, status, retryAfterSeconds, matches: matcher(methods) };
    },
    failFirstAttempt({ status, every, retryAfterSeconds = 1, methods }) {
      firstAttempts = { status, every: Math.max(1, Math.round(every)), retryAfterSeconds, matches: matcher(methods), seen: 0, failed: new Set(), decided: new Set() };
    },
    clear() {
      outage = undefined;
      firstAttempts = undefined;
    },
    counters: () => structuredClone(counters),
    async intercept(req, res, key, reply) {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      if (path === FAULTS_PATH) {
        await control(req, res);
        return true;
      }
      const failure = failureFor(key);
      if (!failure) return false;
      // Drain the body so the client's keep-alive connection stays usable, as the real edge does.
      await readText(req);
      reply(res, failure);
      return true;
    },
  };

  async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readText(req);
    if (req.method === 'GET') return sendJson(res, 200, faults.counters());
    if (req.method === 'DELETE') {
      faults.clear();
      return sendJson(res, 200, faults.counters());
    }
    if (req.method !== 'POST') return sendJson(res, 405, { error: `${req.method ?? ''} ${FAULTS_PATH}: use POST, DELETE or GET` });
    try {
      const spec = parseFaultSpec(JSON.parse(text || 'null') as unknown);
      if (spec.failFor) faults.failFor(spec.failFor);
      if (spec.failFirstAttempt) faults.failFirstAttempt(spec.failFirstAttempt);
      sendJson(res, 200, faults.counters());
    } catch (err) {
      sendJson(res, 400, { error: err instanceof SyntaxError ? `not JSON: ${err.message}` : (err as Error).message });
    }
  }

  return faults;
}

/**
 * A failure as Slack's edge answers it: 429 `ratelimited` with Retry-After (the Web API's JSON), anything
 * else an HTML page (what Slack's load balancers return in an outage, not the API's JSON).
 */
export function slackFailure(res: ServerResponse, { status, retryAfterSeconds }: InjectedFailure): void {
  if (status === 429) {
    res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) });
    res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    return;
  }
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<html><head><title>${status} Service Unavailable</title></head><body><h1>Slack is having trouble</h1><p>fake outage (${FAULTS_PATH})</p></body></html>`);
}

/**
 * A failure as GitHub's REST API answers it: 403/429 as a secondary rate limit with Retry-After
 * (docs.github.com: "rate limits for the REST API"), 5xx as its JSON error.
 */
export function githubFailure(res: ServerResponse, { status, retryAfterSeconds }: InjectedFailure): void {
  const rateLimited = status === 403 || status === 429;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...(rateLimited ? { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4999' } : {}),
  });
  res.end(
    JSON.stringify(
      rateLimited
        ? { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits', status: String(status) }
        : { message: status === 500 ? 'Server Error' : 'Service Unavailable', documentation_url: 'https://docs.github.com/rest', status: String(status) },
    ),
  );
}
