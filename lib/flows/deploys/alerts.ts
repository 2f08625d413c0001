import type { Config } from '../../core/config';
import { logger } from '../../core/log';
import type { FluxEventDeps } from './deps';
import { SlackUnavailable } from './errors';
import { objectRef, type FluxEvent } from './flux-event';
import { alertMessage } from './messages';
import { isTransientSlackFailure } from './slack-failure';

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
      await deps.slack.postMessage(alertMessage(channel, cluster, event, ALERT_WINDOW_MS / 60_000));
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
