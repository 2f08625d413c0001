import type { GithubClient } from './client';
import { AppAuthFailed, RedeliveryRefused } from './errors';
import { githubMessage, statusOf } from './request-error';

/**
 * POST /app/hook/deliveries/{delivery_id}/attempts with the app JWT: GitHub answers 202 and delivers the
 * event again, later, as a new delivery with `redelivery: true` and the same guid. A 4xx (404: no such
 * delivery; 422: older than GitHub's 3-day redelivery limit) is RedeliveryRefused: asking again gets the same.
 */
export async function redeliverAppHookDelivery(client: GithubClient, deliveryId: number): Promise<void> {
  try {
    await client.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: deliveryId });
  } catch (err) {
    const status = statusOf(err);
    if (status === 401) throw new AppAuthFailed({ cause: err });
    if (status !== undefined && status >= 400 && status < 500 && status !== 429) throw new RedeliveryRefused(deliveryId, status, githubMessage(err) ?? 'no reason given', { cause: err });
    throw err;
  }
}
