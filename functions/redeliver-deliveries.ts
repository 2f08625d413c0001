import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Env } from '../lib/core/config';
import { logger } from '../lib/core/log';
import { sweepFailedDeliveries, type SweepOptions, type SweepSummary } from '../lib/flows/redeliveries';
// Its own deps, not the runtime: this function reads no config.yaml and posts nothing to Slack.
import { redeliveryDepsFor } from './compose/redelivery-deps';

export interface RedeliveryScheduleOptions {
  env?: Env;
  sweep?: SweepOptions;
}

/**
 * EventBridge schedule (serverless.yml `redeliverySchedule`, every 5 minutes by default): asks GitHub to
 * redeliver the App's webhook deliveries that failed (DESIGN §3, flow 0). One summary line per run; a
 * failure is thrown, so it counts in the function's Errors alarm and the next run picks up where it stopped.
 */
export async function handleRedeliverySchedule(event: Pick<ScheduledEvent, 'id' | 'time'>, context?: Context, { env = process.env, sweep }: RedeliveryScheduleOptions = {}): Promise<SweepSummary> {
  if (context) logger.addContext(context);
  logger.appendKeys({ scheduleEventId: event.id });
  try {
    const summary = await sweepFailedDeliveries(await redeliveryDepsFor(env), sweep);
    if (summary.outcome === 'busy') {
      logger.info('redelivery sweep skipped: another sweep holds the lease');
      return summary;
    }
    logger.info('redelivery sweep', {
      listed: summary.listed,
      pages: summary.pages,
      failedGuids: summary.failed,
      redelivered: summary.redelivered.length,
      recovered: summary.recovered.length,
      skippedOverCap: summary.skippedOverCap.length,
      skippedRefusedByUs: summary.skippedRefusedByUs.length,
      refusedByGithub: summary.refusedByGithub.length,
      deferred: summary.deferred.length,
      ignoredEvents: summary.ignored,
      mark: summary.mark,
      // The guids, so an operator can find each in the App's "Recent Deliveries" and the webhook's logs.
      redeliveredGuids: summary.redelivered.map((r) => r.guid),
      overCapGuids: summary.skippedOverCap,
    });
    return summary;
  } catch (err) {
    logger.error('redelivery sweep failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    logger.removeKeys(['scheduleEventId']);
  }
}

export const handler = (event: ScheduledEvent, context: Context) => handleRedeliverySchedule(event, context);
