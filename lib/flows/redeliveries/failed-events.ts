import type { HookDelivery } from '../../adapters/github';

/** Every listed attempt to deliver one event (one guid), oldest first. */
export interface EventAttempts {
  guid: string;
  attempts: HookDelivery[];
}

/** Groups a newest-first delivery list by event, oldest event first. */
export function attemptsByEvent(deliveries: HookDelivery[]): EventAttempts[] {
  const byGuid = new Map<string, HookDelivery[]>();
  for (const delivery of deliveries) {
    const attempts = byGuid.get(delivery.guid) ?? [];
    attempts.push(delivery);
    byGuid.set(delivery.guid, attempts);
  }
  // GitHub's delivery ids grow with time, so they order attempts without trusting two clocks.
  const events = [...byGuid].map(([guid, attempts]) => ({ guid, attempts: attempts.sort((a, b) => a.id - b.id) }));
  return events.sort((a, b) => firstAttempt(a).id - firstAttempt(b).id);
}

export function firstAttempt(event: EventAttempts): HookDelivery {
  const first = event.attempts[0];
  if (!first) throw new Error(`no attempts listed for ${event.guid}`);
  return first;
}

export function latestAttempt(event: EventAttempts): HookDelivery {
  const latest = event.attempts.at(-1);
  if (!latest) throw new Error(`no attempts listed for ${event.guid}`);
  return latest;
}

export const succeeded = (delivery: HookDelivery) => delivery.statusCode >= 200 && delivery.statusCode < 300;

/**
 * Whether sending the same bytes again could get another answer: no answer at all (GitHub records
 * status_code 0 for a timeout or a refused connection), a 5xx, 408 or 429. Any other 4xx is our
 * endpoint refusing the request itself (bad signature 401, malformed 400, too large 413; DESIGN §2),
 * which a redelivery of the same payload would get again.
 */
export function worthRetrying(delivery: HookDelivery): boolean {
  const code = delivery.statusCode;
  return code < 200 || code >= 500 || code === 408 || code === 429;
}
