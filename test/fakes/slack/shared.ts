import type { Handler } from '../router';

/**
 * What the rooms of the Slack fake share: Web API answers (`ok`, `fail`), reading parameters the way
 * Slack does from form or JSON bodies, the bot's identity, and `SlackRooms`, what a room registers its
 * Web API methods and other routes with (index.ts puts the token check in front of the methods).
 */

export type Params = Record<string, unknown>;
export type Answer = { status?: number; body: Record<string, unknown> };
export type WebApiMethod = (params: Params) => Answer;

export interface SlackRooms {
  /** The fake's base URL (known once it listens), e.g. `http://127.0.0.1:PORT`. */
  base(): string;
  /** A Web API method, `POST /api/<name>`, behind the bot token check. */
  api(name: string, method: WebApiMethod): void;
  /** Any other route (upload URLs, response URLs); Slack answers them whatever the HTTP method. */
  route(pattern: string, handler: Handler): void;
}

export const BOT = { user_id: 'U0FLUXBOT', bot_id: 'B0FLUXBOT', app_id: 'A0FLUXAPP', team_id: 'T0FLUXTEAM' };

export const ok = (body: Record<string, unknown> = {}): Answer => ({ body: { ok: true, ...body } });
export const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({ body: { ok: false, error, ...extra } });

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(params: Params, key: string): string | undefined {
  const value = params[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Form bodies carry structured arguments as JSON strings (that is what WebClient sends); JSON bodies as values. */
export function structured(params: Params, key: string): { value?: unknown; malformed?: true } {
  const raw = params[key];
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'string') return { value: raw };
  try {
    return { value: JSON.parse(raw) as unknown };
  } catch {
    return { malformed: true };
  }
}
