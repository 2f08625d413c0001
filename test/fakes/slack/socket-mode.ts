import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { fail, ok, type SlackRooms } from './shared';

/**
 * Socket Mode (https://api.slack.com/apis/socket-mode) as Slack speaks it to @slack/socket-mode:
 * `apps.connections.open`, called with the app-level token (`xapp-…`, not the bot token), answers a
 * one-time `wss://…/link/?ticket=…` URL; the WebSocket opened on it first receives `{"type":"hello"}`,
 * then envelopes `{ envelope_id, type, payload, accepts_response_payload[, retry_attempt, retry_reason] }`,
 * each of which the app acknowledges with `{ envelope_id[, payload] }`. The frames are written here by hand
 * (RFC 6455, text frames, no extensions): the client masks, the server does not, and pings get pongs, as
 * undici's WebSocket (the client's) expects.
 */

export interface SocketModeEnvelope {
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Record<string, unknown>;
  envelopeId?: string;
  /** Slack says true for slash commands and view submissions: the ack's payload is then the answer. */
  acceptsResponsePayload?: boolean;
  /** events_api only: Slack's redelivery of an envelope the app did not acknowledge in time. */
  retryAttempt?: number;
  retryReason?: string;
}

export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** Resolves once a client has opened a link and been greeted with `hello`. */
  connected(): Promise<void>;
  /** Sends an envelope on the newest connection; resolves to its id. */
  send(envelope: SocketModeEnvelope): string;
  /** Resolves with the first acknowledgement of this envelope. */
  ackOf(envelopeId: string): Promise<SocketModeAck>;
  /** Every frame the client sent that was not a ping or pong, in order (the acknowledgements). */
  acks: SocketModeAck[];
  /** How many links `apps.connections.open` has handed out. */
  opened: number;
  destroy(): void;
}

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65_536 ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64BE(BigInt(length));
  return buffer;
}

/** Reads the complete, masked frames at the front of `buffer`; returns them and what is left. */
function readFrames(buffer: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const first = buffer[offset] ?? 0;
    const second = buffer[offset + 1] ?? 0;
    let length = second & 0x7f;
    let cursor = offset + 2;
    if (length === 126) {
      if (buffer.length < cursor + 2) break;
      length = buffer.readUInt16BE(cursor);
      cursor += 2;
    } else if (length === 127) {
      if (buffer.length < cursor + 8) break;
      length = Number(buffer.readBigUInt64BE(cursor));
      cursor += 8;
    }
    const masked = (second & 0x80) !== 0;
    const mask = masked ? buffer.subarray(cursor, cursor + 4) : undefined;
    if (masked) cursor += 4;
    if (buffer.length < cursor + length) break;
    const payload = Buffer.from(buffer.subarray(cursor, cursor + length));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
    frames.push({ opcode: first & 0x0f, payload });
    offset = cursor + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

export function mountSocketMode(rooms: SlackRooms, appToken: string | undefined): { socketMode: FakeSocketMode; upgrade: (req: IncomingMessage, socket: Duplex) => void } {
  const tickets = new Set<string>();
  const sockets: Duplex[] = [];
  const acks: SocketModeAck[] = [];
  const ackWaiters = new Map<string, (ack: SocketModeAck) => void>();
  let onConnected: (() => void)[] = [];
  let greeted = 0;
  const state = { opened: 0 };

  // The app-level token, from the Authorization header (WebClient sends it there); the bot token is refused.
  rooms.route('/api/apps.connections.open', ({ headers }) => {
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    if (!bearer) return { status: 200, body: fail('not_authed').body };
    if (!appToken || bearer !== appToken) return { status: 200, body: fail(bearer.startsWith('xapp-') ? 'invalid_auth' : 'not_allowed_token_type').body };
    const ticket = randomUUID();
    tickets.add(ticket);
    state.opened++;
    return { status: 200, body: ok({ url: `${rooms.base().replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=A0FLUXAPP` }).body };
  });

  function upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const ticket = url.searchParams.get('ticket') ?? '';
    const key = req.headers['sec-websocket-key'];
    // A ticket works once, as Slack's do.
    if (url.pathname !== '/link/' || !tickets.delete(ticket) || typeof key !== 'string') {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}${WEBSOCKET_GUID}`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    sockets.push(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.splice(sockets.indexOf(socket), 1));
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const { opcode, payload } of frames) {
        if (opcode === 0x9) socket.write(frame(0xa, payload));
        else if (opcode === 0x8) socket.end(frame(0x8, payload.subarray(0, 2)));
        else if (opcode === 0x1) {
          const ack = JSON.parse(payload.toString('utf8')) as SocketModeAck;
          acks.push(ack);
          ackWaiters.get(ack.envelope_id)?.(ack);
          ackWaiters.delete(ack.envelope_id);
        }
      }
    });
    socket.write(frame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: sockets.length, debug_info: { host: 'applink-fake', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0FLUXAPP' } }))));
    greeted++;
    const waiting = onConnected;
    onConnected = [];
    for (const resolve of waiting) resolve();
  }

  const socketMode: FakeSocketMode = {
    connected: () => (greeted > 0 ? Promise.resolve() : new Promise<void>((resolve) => onConnected.push(resolve))),
    send(envelope) {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no Socket Mode connection is open');
      const envelopeId = envelope.envelopeId ?? randomUUID();
      const message = {
        envelope_id: envelopeId,
        payload: envelope.payload,
        type: envelope.type,
        accepts_response_payload: envelope.acceptsResponsePayload ?? envelope.type === 'slash_commands',
        ...(envelope.type === 'events_api' ? { retry_attempt: envelope.retryAttempt ?? 0, retry_reason: envelope.retryReason ?? '' } : {}),
      };
      socket.write(frame(0x1, Buffer.from(JSON.stringify(message))));
      return envelopeId;
    },
    ackOf(envelopeId) {
      const earlier = acks.find((a) => a.envelope_id === envelopeId);
      if (earlier) return Promise.resolve(earlier);
      return new Promise((resolve) => ackWaiters.set(envelopeId, resolve));
    },
    acks,
    get opened() {
      return state.opened;
    },
    destroy() {
      for (const socket of [...sockets]) socket.destroy();
    },
  };
  return { socketMode, upgrade };
}
