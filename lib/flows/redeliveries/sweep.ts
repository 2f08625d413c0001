import { randomUUID } from 'node:crypto';
import { RedeliveryRefused } from '../../adapters/github';
import { logger } from '../../core/log';
import { ConcurrentUpdate, type RedeliveryRecord } from '../../adapters/store';
import type { RedeliveryDeps } from './deps';
import { RedeliveryRequestFailed } from './errors';
import { attemptsByEvent, firstAttempt, latestAttempt, succeeded, worthRetrying, type EventAttempts } from './failed-events';

/** GitHub redelivers a delivery for 3 days (docs: webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks); an hour of margin. */
const REDELIVERY_LIMIT_MS = 3 * 24 * 3600_000 - 3600_000;

export interface SweepOptions {
  /** @default () => new Date() */
  now?: () => Date;
  /**
   * Events Fluxline acts on (functions/github-webhook.ts); a failed ping or installation event is not worth a redelivery.
   * @default ['pull_request', 'check_run']
   */
  events?: readonly string[];
  /**
   * Redeliveries of one event, in all (from the store and GitHub's list), so one that always fails stops.
   * @default 3
   */
  maxRedeliveriesPerEvent?: number;
  /**
   * Redeliveries per sweep: after an outage, the backlog goes out over several sweeps instead of at once.
   * @default 25
   */
  maxRedeliveriesPerSweep?: number;
  /**
   * How long the lease lasts; longer than the function's timeout (serverless.yml: 120 s), so it only
   * runs out when its holder died.
   * @default 300_000
   */
  leaseMs?: number;
  /**
   * The first sweep (no mark yet) looks back this far.
   * @default 3_600_000
   */
  initialLookbackMs?: number;
  /**
   * Each sweep looks again this far behind its mark, for deliveries GitHub lists late.
   * @default 300_000
   */
  overlapMs?: number;
  /**
   * How long a requested redelivery may stay out of GitHub's list before the sweep stops waiting for it.
   * @default 600_000
   */
  awaitMs?: number;
  /** @default 30 */
  maxPages?: number;
}

export interface SweepSummary {
  /** `busy`: another sweep holds the lease; this one did nothing. */
  outcome: 'swept' | 'busy';
  listed: number;
  pages: number;
  /** Events of `events` with no 2xx attempt in the window. */
  failed: number;
  redelivered: { guid: string; deliveryId: number; event: string }[];
  /** Requests whose answer was lost but whose redelivery GitHub's list shows: settled without a second POST. */
  recovered: string[];
  skippedOverCap: string[];
  /** Failed with a 4xx a redelivery would get again (see worthRetrying). */
  skippedRefusedByUs: string[];
  /** GitHub would not redeliver (RedeliveryRefused). */
  refusedByGithub: string[];
  /** Failed events left for the next sweep: the per-sweep cap, a request whose effect is not known yet. */
  deferred: string[];
  /** Failed events of other types (ping, installation…), not redelivered. */
  ignored: number;
  /** The high-water mark after this sweep (ISO), when there is one. */
  mark?: string;
}

type Settled = 'settled' | 'pending';

/**
 * Asks GitHub to redeliver the App's webhook deliveries whose attempts all failed (DESIGN §3, flow 0):
 * GitHub never redelivers by itself. Exactly once, visibly: the intent is recorded before the POST and the
 * outcome after it; an intent with no outcome (a crash in between) is settled by finding its redelivery in
 * GitHub's list, where it shows as a newer delivery of the same guid with `redelivery: true`. The mark only
 * moves past events that are settled, and a lease (a conditional write) keeps overlapping sweeps apart.
 */
export async function sweepFailedDeliveries(deps: RedeliveryDeps, options: SweepOptions = {}): Promise<SweepSummary> {
  const now = options.now ?? (() => new Date());
  const settings = {
    events: options.events ?? ['pull_request', 'check_run'],
    maxPerEvent: options.maxRedeliveriesPerEvent ?? 3,
    maxPerSweep: options.maxRedeliveriesPerSweep ?? 25,
    awaitMs: options.awaitMs ?? 600_000,
  };
  const leaseId = randomUUID();
  const summary: SweepSummary = { outcome: 'swept', listed: 0, pages: 0, failed: 0, redelivered: [], recovered: [], skippedOverCap: [], skippedRefusedByUs: [], refusedByGithub: [], deferred: [], ignored: 0 };

  const lease = await deps.store.acquireSweepLease(deps.appId, leaseId, options.leaseMs ?? 300_000, now());
  if (!lease.acquired) return { ...summary, outcome: 'busy' };
  try {
    const started = now().getTime();
    const fromMark = lease.mark ? lease.mark.getTime() - (options.overlapMs ?? 300_000) : started - (options.initialLookbackMs ?? 3_600_000);
    const since = new Date(Math.max(started - REDELIVERY_LIMIT_MS, fromMark));
    const listed = await deps.github.listDeliveries({ since, maxPages: options.maxPages ?? 30 });
    summary.listed = listed.deliveries.length;
    summary.pages = listed.pages;

    let heldFrom: Date | undefined;
    for (const event of attemptsByEvent(listed.deliveries)) {
      if ((await settle(event)) === 'pending') {
        const first = firstAttempt(event).deliveredAt;
        if (!heldFrom || first < heldFrom) heldFrom = first;
      }
    }

    const next = nextMark(lease.mark, listed.deliveries, heldFrom, listed.complete);
    const moved = next !== undefined && (!lease.mark || next > lease.mark);
    if (moved) await deps.store.advanceSweepMark(deps.appId, leaseId, next, now());
    if (!listed.complete) logger.warn('GitHub listed more deliveries than one sweep reads; the mark stays until a sweep reaches it', { pages: listed.pages, since: since.toISOString() });
    const mark = moved ? next : lease.mark;
    return { ...summary, ...(mark ? { mark: mark.toISOString() } : {}) };
  } finally {
    if (!(await deps.store.releaseSweepLease(deps.appId, leaseId))) logger.warn('the redelivery sweep lease ran out before the sweep ended; raise leaseMs above the function timeout');
  }

  async function settle(event: EventAttempts): Promise<Settled> {
    const latest = latestAttempt(event);
    const anySuccess = event.attempts.some(succeeded);
    // Only an event with a redelivery in the list can have an open request of ours: spare the others a read.
    let record = anySuccess && !event.attempts.some((a) => a.redelivery) ? undefined : await deps.store.getRedelivery(deps.appId, event.guid);

    const open = record?.requests.findIndex((request) => request.outcome === undefined) ?? -1;
    if (record && open >= 0) {
      const request = record.requests[open];
      if (!request) return 'pending';
      const effect = event.attempts.find((attempt) => attempt.redelivery && attempt.id > request.deliveryId);
      if (effect) {
        await deps.store.recordRedeliveryOutcome(deps.appId, event.guid, open, 'found', `delivery ${effect.id}`);
        logger.info('redelivery found in GitHub\'s list after its request\'s answer was lost', { guid: event.guid, deliveryId: request.deliveryId, redeliveryId: effect.id });
        summary.recovered.push(event.guid);
      } else if (now().getTime() - Date.parse(request.requestedAt) < settings.awaitMs) {
        // The POST may have reached GitHub, whose redelivery is not listed yet: asking again could deliver twice.
        summary.deferred.push(event.guid);
        return 'pending';
      } else {
        // Long enough: the POST never reached GitHub (the sweep died before it). It still counts toward the cap.
        await deps.store.recordRedeliveryOutcome(deps.appId, event.guid, open, 'lost', `no redelivery listed within ${settings.awaitMs / 1000} s`);
      }
      record = await deps.store.getRedelivery(deps.appId, event.guid);
    }

    if (anySuccess) return 'settled';
    if (!settings.events.includes(latest.event)) {
      summary.ignored++;
      return 'settled';
    }
    summary.failed++;
    // GitHub said no to this event once (gone, too old): asking again gets the same answer.
    if (record?.requests.some((request) => request.outcome === 'refused')) return 'settled';
    if (awaitingRedelivery(record, event)) return 'settled';
    if (!worthRetrying(latest)) {
      summary.skippedRefusedByUs.push(event.guid);
      return 'settled';
    }
    const made = Math.max(record?.requests.length ?? 0, event.attempts.filter((a) => a.redelivery).length);
    if (made >= settings.maxPerEvent) {
      logger.warn('a delivery failed after every redelivery allowed; redeliver it by hand once the cause is fixed', { guid: event.guid, event: latest.event, redeliveries: made, statusCode: latest.statusCode, status: latest.status });
      summary.skippedOverCap.push(event.guid);
      return 'settled';
    }
    if (summary.redelivered.length >= settings.maxPerSweep) {
      summary.deferred.push(event.guid);
      return 'pending';
    }
    return redeliver(event, record);
  }

  /**
   * A redelivery we asked for that GitHub has not listed yet: it will be listed later than the mark this
   * sweep sets (GitHub delivers after our POST, which is after the list was read), so this event is settled.
   */
  function awaitingRedelivery(record: RedeliveryRecord | undefined, event: EventAttempts): boolean {
    const last = record?.requests.at(-1);
    if (!last || (last.outcome !== 'requested' && last.outcome !== 'found')) return false;
    const listedSince = event.attempts.some((attempt) => attempt.id > last.deliveryId);
    return !listedSince && now().getTime() - Date.parse(last.requestedAt) < settings.awaitMs;
  }

  async function redeliver(event: EventAttempts, record: RedeliveryRecord | undefined): Promise<Settled> {
    const latest = latestAttempt(event);
    const context = { guid: event.guid, deliveryId: latest.id, event: latest.event, action: latest.action, statusCode: latest.statusCode, status: latest.status };
    let index: number;
    try {
      index = await deps.store.recordRedeliveryIntent(deps.appId, event.guid, { deliveryId: latest.id, event: latest.event, knownRequests: record?.requests.length ?? 0 }, now());
    } catch (err) {
      if (!(err instanceof ConcurrentUpdate)) throw err;
      // Another sweep (one whose lease ran out) recorded a request first: the next sweep sees what it did.
      logger.warn('another sweep is redelivering this event; leaving it to the next sweep', context);
      summary.deferred.push(event.guid);
      return 'pending';
    }
    try {
      await deps.github.redeliver(latest.id);
    } catch (err) {
      if (err instanceof RedeliveryRefused) {
        await deps.store.recordRedeliveryOutcome(deps.appId, event.guid, index, 'refused', err.message);
        logger.warn('GitHub refused to redeliver a failed delivery', { ...context, reason: err.message });
        summary.refusedByGithub.push(event.guid);
        return 'settled';
      }
      throw new RedeliveryRequestFailed(event.guid, latest.id, { cause: err });
    }
    await deps.store.recordRedeliveryOutcome(deps.appId, event.guid, index, 'requested');
    logger.info('asked GitHub to redeliver a failed delivery', context);
    summary.redelivered.push({ guid: event.guid, deliveryId: latest.id, event: latest.event });
    return 'settled';
  }
}

/**
 * The newest time up to which every listed event is settled: just before the first attempt of the oldest
 * pending event, else the newest delivery listed (GitHub's own clock, so no skew with ours). An incomplete
 * list leaves a gap between the mark and what was read: the mark stays.
 */
function nextMark(previous: Date | undefined, deliveries: { deliveredAt: Date }[], heldFrom: Date | undefined, complete: boolean): Date | undefined {
  if (!complete) return previous;
  if (heldFrom) return new Date(heldFrom.getTime() - 1);
  const newest = deliveries.reduce<Date | undefined>((max, d) => (!max || d.deliveredAt > max ? d.deliveredAt : max), undefined);
  return newest ?? previous;
}
