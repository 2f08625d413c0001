import { createHash } from 'node:crypto';
import type { Config } from '../../core/config';
import { logger } from '../../core/log';
import type { FluxEventDeps } from './deps';
import { SlackUnavailable } from './errors';
import { objectRef, type FluxEvent } from './flux-event';
import { alertMessage } from './messages';
import { isTransientSlackFailure } from './slack-failure';
import { postOnce } from '../effects';

/**
 * A Flux event's identity. Flux's Event has no id field; a retry of one event (notification-controller
 * retries a failed POST with the same body) carries the same object, reason, time and message.
 */
export function fluxEventId(cluster: string, event: FluxEvent): string {
  const { involvedObject, reason, timestamp, message, reportingController } = event;
  const identity = JSON.stringify([cluster, involvedObject.kind, involvedObject.namespace, involvedObject.name, involvedObject.uid ?? '', reason, timestamp, message, reportingController]);
  return createHash('sha256').update(identity).digest('hex').slice(0, 32);
}

/**
 * One alert per (cluster, object, reason) and channel per window. A failing HelmRelease is retried by
 * helm-controller every interval, and each failure is an event: without a window a channel would hear
 * the same failure every few minutes.
 */
export const ALERT_WINDOW_MS = 5 * 60_000;

/** The channels bound to the cluster in `slack.channels`, else the default channel. */
export function alertChannels(config: Config, cluster: string): string[] {
  const bound = Object.entries(config.slack.channels)
    .filter(([, binding]) => binding.clusters.includes(cluster))
    .map(([channel]) => channel);
  return bound.length > 0 ? bound : [config.slack.channel];
}

export interface AlertOutcome {
  posted: string[];
  /** Channels already told about this within the window. */
  muted: string[];
}

/**
 * Posts the error to each channel that watches the cluster. Each channel is claimed before its post and
 * the claim is given back when Slack could not take it, so Flux's retry (after our 503) posts exactly the
 * alerts that are missing: never one twice, never one lost.
 */
export async function alertError(deps: FluxEventDeps, cluster: string, event: FluxEvent): Promise<AlertOutcome> {
  const now = deps.now?.() ?? new Date();
  const object = objectRef(event);
  const outcome: AlertOutcome = { posted: [], muted: [] };
  let failure: unknown;
  for (const channel of alertChannels(deps.config, cluster)) {
    const claim = `${event.reason}#${channel}`;
    if (!(await deps.store.claimAlert(cluster, object, claim, ALERT_WINDOW_MS, now))) {
      outcome.muted.push(channel);
      continue;
    }
    try {
      // One alert per Flux event and channel (DESIGN §3 "Exactly once, visibly"): a post whose answer was
      // lost is found again by Flux's retry instead of being made twice.
      await postOnce({ store: deps.store, slack: deps.slack }, `alert:${fluxEventId(cluster, event)}:${channel}`, alertMessage(channel, cluster, event, ALERT_WINDOW_MS / 60_000));
      outcome.posted.push(channel);
    } catch (err) {
      if (isTransientSlackFailure(err)) {
        await deps.store.releaseAlert(cluster, object, claim);
        failure ??= err;
      } else {
        // `not_in_channel`, `channel_not_found`: a retry cannot fix it; the operator can.
        logger.error('Slack refused the Flux alert; invite the bot to the channel or fix slack.channels', { channel, object, reason: event.reason, error: err as Error });
      }
    }
  }
  if (failure) throw new SlackUnavailable(`alert about ${object} on ${cluster}`, { cause: failure });
  return outcome;
}
