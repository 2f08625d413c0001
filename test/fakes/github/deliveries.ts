import { randomUUID } from 'node:crypto';
import type { Reply } from '../router';
import type { GithubRooms, Json } from './shared';

/**
 * Hook deliveries: the deliveries GitHub made to the App's webhook, listed newest first with cursor
 * pagination (GET /app/hook/deliveries; a Link header with rel="next" only, as GitHub sends), and
 * redelivery (POST /app/hook/deliveries/{id}/attempts: 202, then a new delivery of the same guid with
 * `redelivery: true`), behind the App JWT check of `rooms.app`.
 */

/** GitHub's "hook-delivery-item". */
export interface FakeHookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  throttled_at: string | null;
}

export interface NewHookDelivery {
  /** Default: a fresh guid (a new event). */
  guid?: string;
  /** @default 'pull_request' */
  event?: string;
  /** @default 'opened' for pull_request, else null */
  action?: string | null;
  /** 0 = no answer (timeout). */
  statusCode: number;
  /** Default: when it is added. */
  deliveredAt?: Date;
  redelivery?: boolean;
}

export interface FakeHookDeliveries {
  add(delivery: NewHookDelivery): FakeHookDelivery;
  /** Every delivery, newest first, as GitHub lists them. */
  all(): FakeHookDelivery[];
  /** The POSTs to /attempts GitHub accepted, in order. */
  attempts: { deliveryId: number; guid: string }[];
  /** Status codes our endpoint "answers" the next redeliveries with, in order; then `redeliveryStatusCode`. */
  answerRedeliveries(...statusCodes: number[]): void;
  /** @default 202 (what functions/github-webhook.ts answers) */
  redeliveryStatusCode: number;
}

const DOCS = 'https://docs.github.com/rest/apps/webhooks';
/** GitHub redelivers deliveries of the last 3 days only. */
const REDELIVERY_LIMIT_MS = 3 * 24 * 3600_000;
const failure = (status: number, message: string, extra: Json = {}): Reply => ({ status, body: { message, documentation_url: DOCS, status: String(status), ...extra } });
/** GitHub's timestamps have whole seconds. */
const githubTime = (at: Date) => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

function statusText(code: number): string {
  if (code === 0) return 'timed out';
  if (code >= 200 && code < 300) return 'OK';
  return `Invalid HTTP Response: ${code}`;
}

export function mountHookDeliveries(rooms: GithubRooms): FakeHookDeliveries {
  const stored: FakeHookDelivery[] = [];
  const attempts: { deliveryId: number; guid: string }[] = [];
  const answers: number[] = [];
  // Real delivery ids are large and grow with time.
  let nextId = 12_077_215_000;

  const newestFirst = () => [...stored].sort((a, b) => b.delivered_at.localeCompare(a.delivered_at) || b.id - a.id);

  const deliveries: FakeHookDeliveries = {
    attempts,
    redeliveryStatusCode: 202,
    add({ guid = randomUUID(), event = 'pull_request', action, statusCode, deliveredAt = new Date(), redelivery = false }) {
      const delivery: FakeHookDelivery = {
        id: nextId++,
        guid,
        delivered_at: githubTime(deliveredAt),
        redelivery,
        duration: statusCode === 0 ? 10 : 0.12,
        status: statusText(statusCode),
        status_code: statusCode,
        event,
        action: action === undefined ? (event === 'pull_request' ? 'opened' : null) : action,
        installation_id: 4242,
        repository_id: 700_123,
        throttled_at: null,
      };
      stored.push(delivery);
      return structuredClone(delivery);
    },
    all: () => structuredClone(newestFirst()),
    answerRedeliveries(...statusCodes) {
      answers.push(...statusCodes);
    },
  };

  rooms.app('GET', '/app/hook/deliveries', ({ url }) => {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const list = newestFirst();
    const cursor = url.searchParams.get('cursor');
    let start = 0;
    if (cursor !== null) {
      const after = /^v1_(\d+)$/.exec(cursor);
      const at = after ? list.findIndex((d) => d.id === Number(after[1])) : -1;
      if (at < 0) return failure(422, 'Validation Failed', { errors: [{ resource: 'HookDelivery', field: 'cursor', code: 'invalid' }] });
      start = at + 1;
    }
    const page = list.slice(start, start + perPage);
    const last = page.at(-1);
    const headers: Record<string, string> = {};
    if (last && start + perPage < list.length) {
      const next = new URL(url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('cursor', `v1_${last.id}`);
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return { status: 200, body: page, headers };
  });

  rooms.app('POST', '/app/hook/deliveries/:id(\\d+)/attempts', ({ params }) => {
    const original = stored.find((d) => d.id === Number(params.id));
    if (!original) return failure(404, 'Not Found');
    if (Date.now() - Date.parse(original.delivered_at) > REDELIVERY_LIMIT_MS) return failure(422, 'Validation Failed', { errors: ['Delivery is too old to be redelivered'] });
    attempts.push({ deliveryId: original.id, guid: original.guid });
    const statusCode = answers.shift() ?? deliveries.redeliveryStatusCode;
    deliveries.add({ guid: original.guid, event: original.event, action: original.action, statusCode, redelivery: true });
    return { status: 202, body: {} };
  });

  return deliveries;
}
