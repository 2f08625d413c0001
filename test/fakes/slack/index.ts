import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createFaults, slackFailure, type Faults } from '../faults';
import { createRouter, parseBody, type Reply } from '../router';
import { mountAuth, tokenProblem } from './auth';
import { mountChat, type FakeEphemeral, type FakeMessage } from './chat';
import { mountConversations } from './conversations';
import { mountFiles, type FakeFile } from './files';
import { mountResponseUrls, type FakeResponse } from './response-urls';
import type { SlackRooms } from './shared';
import { mountSocketMode, type FakeSocketMode } from './socket-mode';

/**
 * An HTTP fake of the Slack Web API, for pointing the real WebClient at (SLACK_API_URL = `url`). It checks
 * the bot token, parses both form and JSON bodies as Slack does, validates Block Kit limits, keeps
 * messages so tests can read what a channel shows, and implements the three steps of filesUploadV2.
 * One room (file) per API area registers its routes on the shared router (../router.ts): auth.ts,
 * chat.ts (with blocks.ts), conversations.ts, files.ts, response-urls.ts, socket-mode.ts (with `appToken`).
 */

export type { FakeEphemeral, FakeFile, FakeMessage, FakeResponse, FakeSocketMode };

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
  /**
   * Lets the next calls of the Web API `method` take effect (a chat.postMessage is posted) and then answers
   * them with these responses instead of Slack's: the answer lost on the way back (an edge 500 after the
   * write, a timeout). `[]` clears the queue.
   */
  failAfterEffect(method: string, responses: CannedResponse[]): void;
  /** Puts a message in a channel as if someone had posted it, e.g. the message a simulated button click came from. */
  addMessage(message: { channel: string; text: string; ts?: string; threadTs?: string; blocks?: unknown[] }): FakeMessage;
  /** Outages and failed first attempts (faults.ts), keyed by Web API method; also `POST /__fake/faults`. Injected failures are not in `requests`. */
  faults: Faults;
  /** Socket Mode: `apps.connections.open` with the app-level token, and the WebSocket it links to. */
  socketMode: FakeSocketMode;
  /** Adds the bot to a channel of `notMemberOf`, as `/invite @bot` does. */
  invite(channel: string): void;
  /** Rotates the bot token as Slack's token rotation does: from now on only `next` is accepted (`invalid_auth` for the old one). */
  rotateToken(next: string): void;
  stop(): Promise<void>;
}

export interface FakeSlackOptions {
  token: string;
  /** The app-level token (`xapp-…`) `apps.connections.open` accepts; unset, it refuses every token. */
  appToken?: string;
  /** When given, other channel IDs answer `channel_not_found`. */
  channels?: string[];
  /** Public channels the bot is not a member of: posting there, or reading their history, answers `not_in_channel`. */
  notMemberOf?: string[];
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

/** What faults and canned answers call a request: the Web API method, `upload_url`, `response_url`, else the path. */
function slackKey(_method: string, url: URL): string {
  const path = url.pathname;
  if (/^\/upload\/v1\/(F[0-9A-F]+)$/.test(path)) return 'upload_url';
  if (/^\/(commands|actions)\//.test(path)) return 'response_url';
  return /^\/api\/([A-Za-z.]+)$/.exec(path)?.[1] ?? path;
}

/** A canned answer as Slack would send it: 429s always say how long to wait. */
function cannedReply(response: CannedResponse): Reply {
  const headers = { ...response.headers };
  if (response.status === 429 && !Object.keys(headers).some((h) => h.toLowerCase() === 'retry-after')) headers['Retry-After'] = '1';
  const body = response.body ?? (response.status === 429 ? { ok: false, error: 'ratelimited' } : response.status >= 500 ? (STATUS_CODES[response.status] ?? 'Error') : { ok: false, error: 'fatal_error' });
  return { status: response.status, body, headers };
}

/** The Web API's answers to a body it cannot read. */
const BODY_PROBLEMS = { malformed: 'invalid_json', 'unsupported-type': 'invalid_post_type', 'no-type': 'missing_post_type' } as const;

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const canned = new Map<string, CannedResponse[]>();
  const afterEffect = new Map<string, CannedResponse[]>();
  const faults = createFaults(options.now ? { now: options.now } : {});
  let base = '';
  let token = options.token;
  // Socket Mode's room is mounted once the router exists; the router hands it its upgrades.
  const late: { upgrade?: (req: IncomingMessage, socket: Duplex) => void } = {};

  const router = createRouter<FakeRequest>({
    key: slackKey,
    faults: { faults, reply: slackFailure },
    record: ({ key, at }) => ({ method: key, at }),
    before: ({ key }) => {
      const next = canned.get(key)?.shift();
      return next ? cannedReply(next) : undefined;
    },
    notFound: ({ url }) => ({ status: 404, body: { ok: false, error: 'unknown_method', req_method: /^\/api\/([A-Za-z.]+)$/.exec(url.pathname)?.[1] ?? url.pathname } }),
    onError: (err) => ({ status: 500, body: `fake Slack failed: ${err instanceof Error ? err.stack : String(err)}` }),
    upgrade: (req, socket) => (late.upgrade ? late.upgrade(req, socket) : socket.destroy()),
  });

  const rooms: SlackRooms = {
    base: () => base,
    route: (pattern, handler) => router.route('*', pattern, handler),
    api: (name, method) =>
      router.route('*', `/api/${name}`, async ({ headers, raw }) => {
        const parsed = await parseBody(headers['content-type'] ?? '', raw);
        if ('problem' in parsed) return { status: 200, body: { ok: false, error: BODY_PROBLEMS[parsed.problem] } };
        const params = parsed.value;
        const denied = tokenProblem(token, headers, params);
        if (denied) return { status: 200, body: denied.body };
        const answer = method(params);
        if (answer.body.ok === true) options.onCall?.({ method: name, params, answer: answer.body });
        const lost = answer.body.ok === true ? afterEffect.get(name)?.shift() : undefined;
        if (lost) return cannedReply(lost);
        return { status: answer.status ?? 200, body: answer.body };
      }),
  };

  mountAuth(rooms);
  const notMemberOf = [...(options.notMemberOf ?? [])];
  const channels = mountChat(rooms, { ...options, notMemberOf });
  mountConversations(rooms, channels);
  const { files } = mountFiles(rooms, channels);
  const { responses, responseUrl } = mountResponseUrls(rooms, (response) =>
    options.onCall?.({ method: 'response_url', params: { response_type: response.responseType, text: response.text }, answer: { ok: true } }),
  );
  const socketMode = mountSocketMode(rooms, options.appToken);
  late.upgrade = socketMode.upgrade;
  base = await router.listen();

  return {
    url: `${base}/api/`,
    messages: channels.messages,
    ephemerals: channels.ephemerals,
    files,
    requests: router.requests,
    responses,
    faults,
    responseUrl,
    failNext(method, cannedResponses) {
      if (cannedResponses.length === 0) canned.delete(method);
      else canned.set(method, [...(canned.get(method) ?? []), ...cannedResponses]);
    },
    failAfterEffect(method, cannedResponses) {
      if (cannedResponses.length === 0) afterEffect.delete(method);
      else afterEffect.set(method, [...(afterEffect.get(method) ?? []), ...cannedResponses]);
    },
    addMessage({ channel, text, ts, threadTs, blocks }) {
      const message: FakeMessage = { channel, ts: ts ?? channels.nextTs(), text, ...(threadTs ? { threadTs } : {}), ...(blocks ? { blocks } : {}) };
      channels.messages.push(message);
      return message;
    },
    invite(channel) {
      if (notMemberOf.includes(channel)) notMemberOf.splice(notMemberOf.indexOf(channel), 1);
    },
    rotateToken(next) {
      token = next;
    },
    socketMode: socketMode.socketMode,
    async stop() {
      // Upgraded sockets are no longer the HTTP server's: closing it would wait for them.
      socketMode.socketMode.destroy();
      await router.stop();
    },
  };
}
