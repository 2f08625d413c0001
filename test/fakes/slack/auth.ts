import type { IncomingHttpHeaders } from 'node:http';
import { BOT, ok, str, type Answer, type Params, type SlackRooms } from './shared';

/** The bot token, checked as Slack checks it, and auth.test. */

/** Slack takes the token from the Authorization header, or from a `token` field of a form body. */
export function tokenProblem(token: string, headers: IncomingHttpHeaders, params: Params): Answer | undefined {
  const contentType = headers['content-type'] ?? '';
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  const sent = bearer ?? (contentType.startsWith('application/json') ? undefined : str(params, 'token'));
  if (!sent) return { body: { ok: false, error: 'not_authed' } };
  if (sent !== token) return { body: { ok: false, error: 'invalid_auth' } };
  return undefined;
}

export function mountAuth(rooms: SlackRooms): void {
  rooms.api('auth.test', () => ok({ url: 'https://fluxline-test.slack.com/', team: 'Fluxline Test', user: 'fluxline', team_id: BOT.team_id, user_id: BOT.user_id, bot_id: BOT.bot_id, is_enterprise_install: false }));
}
