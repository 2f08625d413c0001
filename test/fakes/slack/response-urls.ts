import { isRecord, type SlackRooms } from './shared';

/**
 * Response URLs (Slack's https://hooks.slack.com/commands/… and /actions/…, one in each slash command
 * and interaction): a JSON message POSTed to one, at most five times.
 */

/** What was POSTed to a response_url. */
export interface FakeResponse {
  /** The path's last segment: which response_url (`responseUrl(id)`) it was. */
  id: string;
  responseType: string;
  text: string;
}

export type OnResponse = (response: FakeResponse) => void;

/** Slack lets a response_url be used five times, then answers `used_url`. */
const USES = 5;

export function mountResponseUrls(rooms: SlackRooms, onResponse: OnResponse): { responses: FakeResponse[]; responseUrl: (id: string) => string } {
  const responses: FakeResponse[] = [];

  rooms.route('/:kind(commands|actions)/:team(T[0-9A-Z]+)/:n(\\d+)/:id([\\w.-]+)', ({ params, raw }) => {
    const id = params.id ?? '';
    if (responses.filter((r) => r.id === id).length >= USES) return { status: 404, body: 'used_url' };
    let message: unknown;
    try {
      message = JSON.parse(raw.toString('utf8'));
    } catch {
      return { status: 400, body: 'invalid_payload' };
    }
    if (!isRecord(message) || typeof message.text !== 'string') return { status: 400, body: 'no_text' };
    const response = { id, responseType: typeof message.response_type === 'string' ? message.response_type : 'ephemeral', text: message.text };
    responses.push(response);
    onResponse(response);
    return { status: 200, body: 'ok' };
  });

  return { responses, responseUrl: (id) => `${rooms.base()}/commands/T0ACME/1234/${id}` };
}
