import { randomBytes } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaults, slackFailure, type Faults } from './faults';

/**
 * An HTTP fake of the Slack Web API, for pointing the real WebClient at (SLACK_API_URL = `url`). It checks
 * the bot token, parses both form and JSON bodies as Slack does, validates Block Kit limits, keeps
 * messages so tests can read what a channel shows, and implements the three steps of filesUploadV2.
 */

export interface FakeMessage {
  channel: string;
  ts: string;
  /** The parent's ts when this is a thread reply. */
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  /** When chat.update last changed it (ISO 8601). */
  updatedAt?: string;
}

export interface FakeEphemeral {
  channel: string;
  user: string;
  text: string;
  threadTs?: string;
  blocks?: unknown[];
  messageTs: string;
}

export interface FakeFile {
  id: string;
  /** '' when the upload was completed without a channel (a private file). */
  channel: string;
  threadTs?: string;
  filename: string;
  title?: string;
  content: string;
  initialComment?: string;
}

/** What was POSTed to a response_url (Slack's https://hooks.slack.com/commands/… and /actions/…). */
export interface FakeResponse {
  /** The path's last segment: which response_url (`responseUrl(id)`) it was. */
  id: string;
  responseType: string;
  text: string;
}

export interface FakeRequest {
  /** The Web API method (`chat.postMessage`), or `upload_url` for the bytes of a filesUploadV2. */
  method: string;
  /** Date.now() when it arrived. */
  at: number;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON (objects) or text (strings). Defaults: 429 `{ ok: false, error: 'ratelimited' }`, 5xx the status text. */
  body?: unknown;
}

export interface FakeSlack {
  /** Base URL to pass as SLACK_API_URL, e.g. `http://127.0.0.1:PORT/api/`. */
  url: string;
  /** Every chat.postMessage in order; chat.update changes the stored message in place. */
  messages: FakeMessage[];
  ephemerals: FakeEphemeral[];
  /** Completed filesUploadV2 uploads. (Real Slack also shows them as file_share messages; they are not in `messages`.) */
  files: FakeFile[];
  requests: FakeRequest[];
  /** Answers posted to response URLs, in order. */
  responses: FakeResponse[];
  /** A response_url of this fake, as Slack puts one in each slash command and interaction. */
  responseUrl(id: string): string;
  /** Answers the next calls of `method` (or `upload_url`) with these responses, unprocessed; `[]` clears the queue. */
  failNext(method: string, responses: CannedResponse[]): void;
  /** Puts a message in a channel as if someone had posted it, e.g. the message a simulated button click came from. */
  addMessage(message: { channel: string; text: string; ts?: string; threadTs?: string; blocks?: unknown[] }): FakeMessage;
  /** Outages and failed first attempts (faults.ts), keyed by Web API method; also `POST /__fake/faults`. Injected failures are not in `requests`. */
  faults: Faults;
  stop(): Promise<void>;
}

export interface FakeSlackOptions {
  token: string;
  /** When given, other channel IDs answer `channel_not_found`. */
  channels?: string[];
  /**
   * Accept replies to thread parents this fake never saw (npm start's stand-in: the sample clicks name a
   * notice of another run). Tests leave it off: Slack refuses them with `invalid_thread_ts`.
   */
  acceptUnknownThreadParents?: boolean;
  /** The clock fault durations run on; for tests. @default Date.now */
  now?: () => number;
  /** Told of every Web API call the fake answered `ok: true` (npm start prints them). */
  onCall?: (call: { method: string; params: Record<string, unknown>; answer: Record<string, unknown> }) => void;
}

type Params = Record<string, unknown>;
type Answer = { status?: number; body: Record<string, unknown> };

const BOT = { user_id: 'U0FLUXBOT', bot_id: 'B0FLUXBOT', app_id: 'A0FLUXAPP', team_id: 'T0FLUXTEAM' };

/** Block Kit limits as Slack enforces them (https://docs.slack.dev/reference/block-kit/blocks). */
const LIMITS = { blocks: 50, sectionText: 3000, field: 2000, fields: 10, contextElements: 10, actionsElements: 25, header: 150, markdown: 12_000, buttonText: 75, buttonValue: 2000, buttonUrl: 3000, id: 255 };
/** Observed, not documented: past ~13,200 characters of block text Slack answers msg_blocks_too_long (slackapi/bolt-js#2509). */
const MESSAGE_BLOCK_CHARS = 13_000;
/** chat.postMessage: "Provide no more than 40,000 characters". */
const TEXT_MAX = 40_000;
const BLOCK_TYPES = new Set(['section', 'context', 'actions', 'divider', 'header', 'image', 'rich_text', 'markdown', 'input', 'file', 'video', 'table']);

const ok = (body: Record<string, unknown> = {}): Answer => ({ body: { ok: true, ...body } });
const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({ body: { ok: false, error, ...extra } });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Form bodies carry structured arguments as JSON strings (that is what WebClient sends); JSON bodies as values. */
function structured(params: Params, key: string): { value?: unknown; malformed?: true } {
  const raw = params[key];
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return { malformed: true };
  }
}

/** Every string under a `text` key: what Slack counts towards msg_blocks_too_long. */
function textChars(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textChars(item), 0);
  if (!isRecord(value)) return 0;
  return Object.entries(value).reduce((sum, [key, item]) => sum + (key === 'text' && typeof item === 'string' ? item.length : textChars(item)), 0);
}

/** Validates blocks like Slack: errors read as Slack's do, with a JSON pointer to the offending field. */
function validateBlocks(blocks: unknown[]): string[] {
  const errors: string[] = [];
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  const length = (value: unknown, max: number, at: string, min = 1) => {
    if (typeof value !== 'string') errors.push(`must be a string [json-pointer:${at}]`);
    else if (value.length < min) errors.push(`must be more than ${min - 1} characters [json-pointer:${at}]`);
    else if (value.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
  };
  const textObject = (value: unknown, max: number, at: string, plainOnly = false) => {
    if (!isRecord(value)) return errors.push(`must be a text object [json-pointer:${at}]`);
    if (value.type !== 'plain_text' && (plainOnly || value.type !== 'mrkdwn')) errors.push(`must be ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'} [json-pointer:${at}/type]`);
    length(value.text, max, `${at}/text`);
  };
  const element = (value: unknown, at: string) => {
    if (!isRecord(value) || typeof value.type !== 'string') return errors.push(`must be an element object [json-pointer:${at}]`);
    if (value.action_id !== undefined) {
      length(value.action_id, LIMITS.id, `${at}/action_id`);
      if (typeof value.action_id === 'string') {
        if (actionIds.has(value.action_id)) errors.push(`action_id must be unique within a message, "${value.action_id}" is repeated [json-pointer:${at}/action_id]`);
        actionIds.add(value.action_id);
      }
    }
    if (value.type !== 'button') return;
    textObject(value.text, LIMITS.buttonText, `${at}/text`, true);
    if (value.value !== undefined) length(value.value, LIMITS.buttonValue, `${at}/value`);
    if (value.url !== undefined) length(value.url, LIMITS.buttonUrl, `${at}/url`);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') errors.push(`must be primary or danger [json-pointer:${at}/style]`);
  };
  const list = (value: unknown, min: number, max: number, at: string): unknown[] => {
    if (!Array.isArray(value)) return (errors.push(`must be an array [json-pointer:${at}]`), []);
    if (value.length < min) errors.push(`must provide at least ${min} items [json-pointer:${at}]`);
    if (value.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${at}]`);
    return value;
  };

  if (blocks.length > LIMITS.blocks) errors.push(`no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isRecord(block) || typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) return errors.push(`unsupported block type [json-pointer:${at}/type]`);
    if (block.block_id !== undefined) {
      length(block.block_id, LIMITS.id, `${at}/block_id`);
      if (typeof block.block_id === 'string' && blockIds.has(block.block_id)) errors.push(`block_id must be unique within a message [json-pointer:${at}/block_id]`);
      if (typeof block.block_id === 'string') blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) errors.push(`must provide either text or fields [json-pointer:${at}]`);
        if (block.text !== undefined) textObject(block.text, LIMITS.sectionText, `${at}/text`);
        if (block.fields !== undefined) list(block.fields, 1, LIMITS.fields, `${at}/fields`).forEach((field, j) => textObject(field, LIMITS.field, `${at}/fields/${j}`));
        if (block.accessory !== undefined) element(block.accessory, `${at}/accessory`);
        break;
      case 'context':
        list(block.elements, 1, LIMITS.contextElements, `${at}/elements`).forEach((el, j) => {
          if (isRecord(el) && el.type === 'image') return;
          textObject(el, LIMITS.sectionText, `${at}/elements/${j}`);
        });
        break;
      case 'actions':
        list(block.elements, 1, LIMITS.actionsElements, `${at}/elements`).forEach((el, j) => element(el, `${at}/elements/${j}`));
        break;
      case 'header':
        textObject(block.text, LIMITS.header, `${at}/text`, true);
        break;
      case 'markdown':
        length(block.text, LIMITS.markdown, `${at}/text`);
        break;
    }
  });
  return errors;
}

/** Reads `blocks` like Slack: `invalid_blocks_format` when it is not a JSON array, `invalid_blocks` when it breaks a rule. */
function readBlocks(params: Params): { blocks?: unknown[]; present: boolean; problem?: Answer } {
  const parsed = structured(params, 'blocks');
  if (parsed.malformed || (parsed.value !== undefined && !Array.isArray(parsed.value))) return { present: true, problem: fail('invalid_blocks_format') };
  if (parsed.value === undefined) return { present: params.blocks !== undefined };
  const blocks = parsed.value as unknown[];
  const errors = validateBlocks(blocks);
  if (errors.length > 0) return { present: true, problem: fail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }) };
  if (textChars(blocks) > MESSAGE_BLOCK_CHARS) return { present: true, problem: fail('msg_blocks_too_long') };
  return { present: true, blocks };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Form, JSON or multipart, as Slack accepts them. */
async function parseParams(contentType: string, raw: Buffer): Promise<{ params: Params } | { error: string }> {
  if (raw.length === 0) return { params: {} };
  if (contentType.startsWith('application/json')) {
    try {
      const body = JSON.parse(raw.toString('utf8')) as unknown;
      return isRecord(body) ? { params: body } : { error: 'invalid_json' };
    } catch {
      return { error: 'invalid_json' };
    }
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) return { params: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    return { params: Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === 'string')) };
  }
  return { error: contentType ? 'invalid_post_type' : 'missing_post_type' };
}

/** The bytes POSTed to an upload_url: WebClient sends them as the multipart part `body`; a raw body works too. */
async function uploadedContent(contentType: string, raw: Buffer): Promise<string> {
  if (!contentType.startsWith('multipart/form-data')) return raw.toString('utf8');
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const parts = [...form.values()];
  const file = parts.find((value) => typeof value !== 'string');
  if (file) return file.text();
  return parts.find((value) => typeof value === 'string') ?? '';
}

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const messages: FakeMessage[] = [];
  const ephemerals: FakeEphemeral[] = [];
  const files: FakeFile[] = [];
  const requests: FakeRequest[] = [];
  const responses: FakeResponse[] = [];
  const canned = new Map<string, CannedResponse[]>();
  const pendingUploads = new Map<string, { filename: string; length: number; content?: string }>();
  const faults = createFaults(options.now ? { now: options.now } : {});
  let base = '';
  let lastTs = 0;

  /** Slack's ts: `<seconds>.<6 digits>`, unique per workspace. */
  const nextTs = () => {
    lastTs = Math.max(Date.now() * 1000, lastTs + 1);
    return `${Math.floor(lastTs / 1e6)}.${String(lastTs % 1e6).padStart(6, '0')}`;
  };
  const unknownChannel = (channel: string | undefined) => !channel || (options.channels !== undefined && !options.channels.includes(channel));
  /** A thread parent must be a top-level message of that channel; a reply's ts is refused as Slack does. */
  const threadProblem = (channel: string, threadTs: string | undefined) =>
    threadTs !== undefined && !options.acceptUnknownThreadParents && !messages.some((m) => m.channel === channel && m.ts === threadTs && m.threadTs === undefined) ? fail('invalid_thread_ts') : undefined;
  const botMessage = (m: FakeMessage) => ({ type: 'message', subtype: 'bot_message', text: m.text, user: BOT.user_id, bot_id: BOT.bot_id, app_id: BOT.app_id, team: BOT.team_id, ts: m.ts, ...(m.blocks ? { blocks: m.blocks } : {}), ...(m.threadTs ? { thread_ts: m.threadTs } : {}) });

  const methods: Record<string, (params: Params) => Answer> = {
    'auth.test': () => ok({ url: 'https://fluxline-test.slack.com/', team: 'Fluxline Test', user: 'fluxline', team_id: BOT.team_id, user_id: BOT.user_id, bot_id: BOT.bot_id, is_enterprise_install: false }),

    'chat.postMessage': (params) => {
      const channel = str(params, 'channel');
      if (unknownChannel(channel) || !channel) return fail('channel_not_found');
      const text = str(params, 'text') ?? '';
      const read = readBlocks(params);
      if (read.problem) return read.problem;
      if (!text && !read.blocks?.length) return fail('no_text');
      if (text.length > TEXT_MAX) return fail('msg_too_long');
      const threadTs = str(params, 'thread_ts');
      const problem = threadProblem(channel, threadTs);
      if (problem) return problem;
      const message: FakeMessage = { channel, ts: nextTs(), text, ...(threadTs ? { threadTs } : {}), ...(read.blocks ? { blocks: read.blocks } : {}) };
      messages.push(message);
      return ok({ channel, ts: message.ts, message: botMessage(message) });
    },

    'chat.update': (params) => {
      const channel = str(params, 'channel');
      if (unknownChannel(channel)) return fail('channel_not_found');
      const message = messages.find((m) => m.channel === channel && m.ts === str(params, 'ts'));
      if (!message) return fail('message_not_found');
      const read = readBlocks(params);
      if (read.problem) return read.problem;
      const text = str(params, 'text') ?? message.text;
      // Without `blocks` the old ones stay; an empty array removes them.
      const blocks = read.present ? (read.blocks?.length ? read.blocks : undefined) : message.blocks;
      if (!text && !blocks) return fail('no_text');
      if (text.length > TEXT_MAX) return fail('msg_too_long');
      message.text = text;
      if (blocks) message.blocks = blocks;
      else delete message.blocks;
      message.updatedAt = new Date().toISOString();
      return ok({ channel: message.channel, ts: message.ts, text, message: { ...botMessage(message), edited: { user: BOT.user_id, ts: nextTs() } } });
    },

    'chat.postEphemeral': (params) => {
      const channel = str(params, 'channel');
      if (unknownChannel(channel) || !channel) return fail('channel_not_found');
      const user = str(params, 'user');
      if (!user) return fail('user_not_found');
      const text = str(params, 'text') ?? '';
      const read = readBlocks(params);
      if (read.problem) return read.problem;
      if (!text && !read.blocks?.length) return fail('no_text');
      // Slack accepts any thread_ts here: an ephemeral reply only shows in a thread that is already open.
      const threadTs = str(params, 'thread_ts');
      const messageTs = nextTs();
      ephemerals.push({ channel, user, text, messageTs, ...(threadTs ? { threadTs } : {}), ...(read.blocks ? { blocks: read.blocks } : {}) });
      return ok({ message_ts: messageTs });
    },

    'files.getUploadURLExternal': (params) => {
      const filename = str(params, 'filename');
      const length = Number(str(params, 'length'));
      if (!filename || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
      const id = `F${randomBytes(5).toString('hex').toUpperCase()}`;
      pendingUploads.set(id, { filename, length });
      return ok({ upload_url: `${base}/upload/v1/${id}`, file_id: id });
    },

    'files.completeUploadExternal': (params) => {
      const parsed = structured(params, 'files');
      if (!Array.isArray(parsed.value) || parsed.value.length === 0) return fail('invalid_arguments');
      const entries = parsed.value as unknown[];
      const channel = str(params, 'channel_id') ?? '';
      if (channel && unknownChannel(channel)) return fail('channel_not_found');
      const threadTs = str(params, 'thread_ts');
      const problem = channel ? threadProblem(channel, threadTs) : undefined;
      if (problem) return problem;
      const ids = entries.map((entry) => (isRecord(entry) && typeof entry.id === 'string' ? entry.id : ''));
      if (ids.some((id) => pendingUploads.get(id)?.content === undefined)) return fail('file_not_found');
      const initialComment = str(params, 'initial_comment');
      const completed = entries.map((entry, i) => {
        const id = ids[i] ?? '';
        const upload = pendingUploads.get(id) ?? { filename: '', length: 0 };
        pendingUploads.delete(id);
        const title = isRecord(entry) && typeof entry.title === 'string' ? entry.title : undefined;
        const file: FakeFile = { id, channel, filename: upload.filename, content: upload.content ?? '', ...(title ? { title } : {}), ...(threadTs ? { threadTs } : {}), ...(initialComment ? { initialComment } : {}) };
        files.push(file);
        return { id, name: file.filename, title: title ?? file.filename, mimetype: 'text/plain', filetype: 'text', size: Buffer.byteLength(file.content), user: BOT.user_id, channels: channel ? [channel] : [], permalink: `https://fluxline-test.slack.com/files/${BOT.user_id}/${id}/${file.filename}` };
      });
      return ok({ files: completed });
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const uploadId = /^\/upload\/v1\/(F[0-9A-F]+)$/.exec(path)?.[1];
    const apiMethod = /^\/api\/([A-Za-z.]+)$/.exec(path)?.[1];
    const method = uploadId ? 'upload_url' : /^\/(commands|actions)\//.test(path) ? 'response_url' : (apiMethod ?? path);
    if (await faults.intercept(req, res, method, slackFailure)) return;
    const raw = await readBody(req);
    requests.push({ method, at: Date.now() });
    const contentType = req.headers['content-type'] ?? '';

    const next = canned.get(method)?.shift();
    if (next) return sendCanned(res, next);

    const responseId = /^\/(?:commands|actions)\/T[0-9A-Z]+\/\d+\/([\w.-]+)$/.exec(path)?.[1];
    if (responseId) {
      // Slack takes JSON with the message; a response_url may be used five times (then `used_url`).
      if (responses.filter((r) => r.id === responseId).length >= 5) return sendText(res, 404, 'used_url');
      let message: unknown;
      try {
        message = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendText(res, 400, 'invalid_payload');
      }
      if (!isRecord(message) || typeof message.text !== 'string') return sendText(res, 400, 'no_text');
      const response = { id: responseId, responseType: typeof message.response_type === 'string' ? message.response_type : 'ephemeral', text: message.text };
      responses.push(response);
      options.onCall?.({ method: 'response_url', params: { response_type: response.responseType, text: response.text }, answer: { ok: true } });
      return sendText(res, 200, 'ok');
    }
    if (uploadId) {
      const upload = pendingUploads.get(uploadId);
      if (!upload) return sendText(res, 404, 'Not Found');
      upload.content = await uploadedContent(contentType, raw);
      return sendText(res, 200, `OK - ${Buffer.byteLength(upload.content)}`);
    }
    const handler = apiMethod ? methods[apiMethod] : undefined;
    if (!handler) return sendJson(res, 404, { ok: false, error: 'unknown_method', req_method: apiMethod ?? path });

    const parsed = await parseParams(contentType, raw);
    if ('error' in parsed) return sendJson(res, 200, { ok: false, error: parsed.error });
    const { params } = parsed;
    // Slack takes the token from the Authorization header, or from a `token` field of a form body.
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (contentType.startsWith('application/json') ? undefined : str(params, 'token'));
    if (!token) return sendJson(res, 200, { ok: false, error: 'not_authed' });
    if (token !== options.token) return sendJson(res, 200, { ok: false, error: 'invalid_auth' });
    const answer = handler(params);
    sendJson(res, answer.status ?? 200, answer.body);
    if (answer.body.ok === true && apiMethod) options.onCall?.({ method: apiMethod, params, answer: answer.body });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendText(res, 500, `fake Slack failed: ${err instanceof Error ? err.stack : String(err)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${base}/api/`,
    messages,
    ephemerals,
    files,
    requests,
    responses,
    faults,
    responseUrl: (id) => `${base}/commands/T0ACME/1234/${id}`,
    failNext(method, cannedResponses) {
      if (cannedResponses.length === 0) canned.delete(method);
      else canned.set(method, [...(canned.get(method) ?? []), ...cannedResponses]);
    },
    addMessage({ channel, text, ts, threadTs, blocks }) {
      const message: FakeMessage = { channel, ts: ts ?? nextTs(), text, ...(threadTs ? { threadTs } : {}), ...(blocks ? { blocks } : {}) };
      messages.push(message);
      return message;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // WebClient's fetch keeps connections alive; close them or `close` waits for their idle timeout.
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(body);
}

function sendCanned(res: ServerResponse, response: CannedResponse): void {
  const headers = { ...response.headers };
  // Slack's 429s always say how long to wait.
  if (response.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) headers['Retry-After'] = '1';
  const body = response.body ?? (response.status === 429 ? { ok: false, error: 'ratelimited' } : response.status >= 500 ? (STATUS_CODES[response.status] ?? 'Error') : { ok: false, error: 'fatal_error' });
  if (typeof body === 'string') sendText(res, response.status, body, headers);
  else sendJson(res, response.status, body, headers);
}
