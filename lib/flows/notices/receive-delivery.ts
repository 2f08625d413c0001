import { firstIssue } from '../../core/validation';
import { MalformedRequest } from '../../core/http';
import { logger } from '../../core/log';
import { publishPullRequestEvent, readPullRequestEvent, type NoticeDeps, type NoticeOutcome } from './handle-pull-request';
import { pullRequestEventSchema } from './payload';
import { checkRunIgnoreReason, readCheckRunEvent, rerunFromGithub, type RerunOutcome } from './check-run-event';

export interface Delivery {
  /** `X-GitHub-Delivery`: the same id when GitHub (or an operator) redelivers. */
  id: string;
  /** `X-GitHub-Event`. */
  event: string;
  payload: unknown;
}

export type DeliveryOutcome =
  | { status: 'pong' }
  | { status: 'ignored'; reason: string }
  | { status: 'duplicate' }
  | { status: 'processed'; notice: NoticeOutcome }
  | { status: 'rerun'; rerun: RerunOutcome };

export interface DeliveryDeps extends NoticeDeps {
  appId: string;
}

/**
 * Processes a verified webhook delivery at most once. The delivery id is claimed before any visible
 * effect; a failure releases the claim so a redelivery is processed rather than silently dropped.
 * The event's reads (the PR's notice, its files, the installation token) go out with the claim, since on
 * a cold start they are most of the wait: a duplicate costs those reads and nothing visible.
 */
export async function receiveDelivery(deps: DeliveryDeps, delivery: Delivery): Promise<DeliveryOutcome> {
  if (delivery.event === 'ping') return { status: 'pong' };
  if (delivery.event === 'check_run') return receiveCheckRun(deps, delivery);
  if (delivery.event !== 'pull_request') return { status: 'ignored', reason: `event ${delivery.event} is not handled` };

  const parsed = pullRequestEventSchema.safeParse(delivery.payload);
  if (!parsed.success) throw new MalformedRequest(`not a pull_request payload: ${firstIssue(parsed.error)}`);

  const [claim, read] = await Promise.allSettled([deps.store.claimDelivery(deps.appId, delivery.id, deps.now?.()), readPullRequestEvent(deps, parsed.data)]);
  if (claim.status === 'rejected') throw claim.reason;
  // What a duplicate's reads found, or how they failed, does not matter: the delivery is someone else's.
  if (claim.value !== 'claimed') return { status: 'duplicate' };
  try {
    if (read.status === 'rejected') throw read.reason;
    const notice = 'kind' in read.value ? await publishPullRequestEvent(deps, read.value) : read.value;
    // The reason too, so an operator (and a test) can read why a delivery changed nothing.
    await deps.store.completeDelivery(deps.appId, delivery.id, notice.outcome === 'skipped' ? `skipped: ${notice.reason}` : notice.outcome);
    return { status: 'processed', notice };
  } catch (err) {
    await release(deps, delivery);
    throw err;
  }
}

async function release(deps: DeliveryDeps, delivery: Delivery): Promise<void> {
  await deps.store.releaseDelivery(deps.appId, delivery.id).catch((releaseError: unknown) => {
    logger.error('could not release the delivery claim; a redelivery within 2 minutes will be refused', { error: releaseError as Error });
  });
}

/** A re-run asked for on GitHub: refused unless it is one of this App's runs, then claimed once like a push. */
async function receiveCheckRun(deps: DeliveryDeps, delivery: Delivery): Promise<DeliveryOutcome> {
  const event = readCheckRunEvent(delivery.payload);
  const ignored = checkRunIgnoreReason(event, deps.appId);
  if (ignored) {
    logger.warn('check_run event ignored', { reason: ignored, action: event.action, repository: event.repository.full_name });
    return { status: 'ignored', reason: ignored };
  }
  if ((await deps.store.claimDelivery(deps.appId, delivery.id, deps.now?.())) !== 'claimed') return { status: 'duplicate' };
  try {
    const rerun = await rerunFromGithub(deps, delivery.id, event);
    await deps.store.completeDelivery(deps.appId, delivery.id, `rerun: ${rerun}`);
    return { status: 'rerun', rerun };
  } catch (err) {
    await release(deps, delivery);
    throw err;
  }
}
