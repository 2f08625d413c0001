import * as z from '../../core/validation';
import type { GithubClient } from './client';
import { AppAuthFailed, GithubError } from './errors';
import { statusOf } from './request-error';

/** One attempt to deliver an event to the App's webhook, as GET /app/hook/deliveries lists it. */
export interface HookDelivery {
  /** This attempt; what POST /app/hook/deliveries/{delivery_id}/attempts redelivers. */
  id: number;
  /** The event (X-GitHub-Delivery): a redelivery keeps the guid of the delivery it repeats. */
  guid: string;
  deliveredAt: Date;
  redelivery: boolean;
  /** GitHub's words for the outcome ("OK", "Invalid HTTP Response: 503", "timed out"). */
  status: string;
  /** Our endpoint's HTTP status; 0 when GitHub got no answer (timeout, refused connection). */
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
}

export interface ListedHookDeliveries {
  /** Newest first, each delivered at or after `since`. */
  deliveries: HookDelivery[];
  pages: number;
  /** False when maxPages stopped the walk before it reached `since` or the end of the list. */
  complete: boolean;
}

export interface ListHookDeliveriesOptions {
  /** The walk stops at the first page that reaches back past this time. */
  since: Date;
  /**
   * A bound on the walk, so a flood of deliveries cannot hold the caller past its timeout.
   * @default 50
   */
  maxPages?: number;
}

/** GitHub's "hook-delivery-item" (docs: rest/apps/webhooks#list-deliveries-for-an-app-webhook). */
const deliverySchema = z.object({
  id: z.number(),
  guid: z.string().check(z.minLength(1)),
  delivered_at: z.iso.datetime({ offset: true }),
  redelivery: z.boolean(),
  status: z.string(),
  status_code: z.number(),
  event: z.string(),
  action: z.nullish(z.string()),
  installation_id: z.nullish(z.number()),
  repository_id: z.nullish(z.number()),
});
const pageSchema = z.array(deliverySchema);

/** GitHub's maximum page size for this route. */
const PER_PAGE = 100;

/**
 * GET /app/hook/deliveries with the app JWT. GitHub lists newest first and pages with an opaque `cursor`
 * carried in the Link header's rel="next" URL (no page numbers, no rel="last"); Octokit's paginator
 * follows that URL as it is.
 */
export async function listAppHookDeliveries(client: GithubClient, { since, maxPages = 50 }: ListHookDeliveriesOptions): Promise<ListedHookDeliveries> {
  const deliveries: HookDelivery[] = [];
  let pages = 0;
  try {
    for await (const { data } of client.paginate.iterator('GET /app/hook/deliveries', { per_page: PER_PAGE })) {
      pages++;
      const parsed = pageSchema.safeParse(data);
      if (!parsed.success) throw new GithubError(`GET /app/hook/deliveries answered an unexpected shape: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
      let reachedSince = false;
      for (const item of parsed.data) {
        const delivery = toDelivery(item);
        if (delivery.deliveredAt < since) reachedSince = true;
        else deliveries.push(delivery);
      }
      if (reachedSince) return { deliveries, pages, complete: true };
      if (pages >= maxPages) return { deliveries, pages, complete: false };
    }
    return { deliveries, pages, complete: true };
  } catch (err) {
    if (statusOf(err) === 401) throw new AppAuthFailed({ cause: err });
    throw err;
  }
}

function toDelivery(item: z.infer<typeof deliverySchema>): HookDelivery {
  return {
    id: item.id,
    guid: item.guid,
    deliveredAt: new Date(item.delivered_at),
    redelivery: item.redelivery,
    status: item.status,
    statusCode: item.status_code,
    event: item.event,
    action: item.action ?? null,
    installationId: item.installation_id ?? null,
    repositoryId: item.repository_id ?? null,
  };
}
