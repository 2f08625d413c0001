import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { ConcurrentUpdate } from './errors';
import { keys } from './keys';

/**
 * A record is kept a day past GitHub's 3-day redelivery limit: after that GitHub refuses to redeliver the
 * event anyway. Housekeeping only (TTL): nothing here depends on the item being deleted or not.
 */
const REDELIVERY_MEMORY_SECONDS = 4 * 24 * 3600;

export type RedeliveryOutcome =
  /** GitHub answered 202 to the POST. */
  | 'requested'
  /** The POST's answer was lost (crash, timeout) but GitHub's list shows the redelivery it made. */
  | 'found'
  /** GitHub answered 4xx: it will not redeliver this delivery. */
  | 'refused'
  /** Nothing appeared in GitHub's list long after the intent: the POST never reached GitHub (the sweep died first). */
  | 'lost';

/** One POST /app/hook/deliveries/{id}/attempts: written before the POST (intent), its outcome after. */
export interface RedeliveryRequest {
  deliveryId: number;
  /** ISO time of the intent, written just before the POST. */
  requestedAt: string;
  /** Absent while the POST's result is unknown. */
  outcome?: RedeliveryOutcome;
  detail?: string;
}

export interface RedeliveryRecord {
  guid: string;
  event: string;
  requests: RedeliveryRequest[];
}

export type SweepLease = { acquired: true; mark: Date | undefined } | { acquired: false };

/**
 * Takes the sweep's lease with a conditional write, so two sweeps that overlap (EventBridge may start one
 * before the last ended) do not both redeliver. A lease past `leaseUntil` (its holder crashed or timed
 * out) can be taken. Returns the high-water mark the lease holder starts from.
 */
export async function acquireSweepLease(table: TableHandle, appId: string, leaseId: string, leaseMs: number, now = new Date()): Promise<SweepLease> {
  try {
    const { Attributes } = await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.redeliverySweep(appId),
        UpdateExpression: 'SET leaseId = :id, leaseUntil = :until',
        ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
        ExpressionAttributeValues: { ':id': leaseId, ':until': now.getTime() + leaseMs, ':now': now.getTime() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const mark: unknown = Attributes?.mark;
    return { acquired: true, mark: typeof mark === 'string' ? new Date(mark) : undefined };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    return { acquired: false };
  }
}

/**
 * Moves the high-water mark forward (never back) while the lease is still this sweep's; ConcurrentUpdate
 * when it is not (the lease ran out and another sweep took it).
 */
export async function advanceSweepMark(table: TableHandle, appId: string, leaseId: string, mark: Date, now = new Date()): Promise<void> {
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.redeliverySweep(appId),
        UpdateExpression: 'SET mark = :mark, sweptAt = :now',
        ConditionExpression: 'leaseId = :id AND (attribute_not_exists(mark) OR mark <= :mark)',
        ExpressionAttributeValues: { ':id': leaseId, ':mark': mark.toISOString(), ':now': now.toISOString() },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ConcurrentUpdate(`the redelivery sweep mark of app ${appId}`, { cause: err });
    throw err;
  }
}

/** Gives the lease back; false when it was no longer this sweep's. */
export async function releaseSweepLease(table: TableHandle, appId: string, leaseId: string): Promise<boolean> {
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.redeliverySweep(appId),
        UpdateExpression: 'REMOVE leaseId, leaseUntil',
        ConditionExpression: 'leaseId = :id',
        ExpressionAttributeValues: { ':id': leaseId },
      }),
    );
    return true;
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    return false;
  }
}

export async function getRedelivery(table: TableHandle, appId: string, guid: string): Promise<RedeliveryRecord | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.redelivery(appId, guid), ConsistentRead: true }));
  if (!Item) return undefined;
  return { guid, event: String(Item.event ?? ''), requests: (Item.requests ?? []) as RedeliveryRequest[] };
}

/**
 * Records the intent to redeliver, before the POST. `knownRequests` is how many requests the caller read:
 * the write fails with ConcurrentUpdate when another sweep added one since, so two never both POST.
 * Returns the index of the new request, for recordRedeliveryOutcome.
 */
export async function recordRedeliveryIntent(
  table: TableHandle,
  appId: string,
  guid: string,
  intent: { deliveryId: number; event: string; knownRequests: number },
  now = new Date(),
): Promise<number> {
  const request: RedeliveryRequest = { deliveryId: intent.deliveryId, requestedAt: now.toISOString() };
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.redelivery(appId, guid),
        UpdateExpression: 'SET requests = list_append(if_not_exists(requests, :none), :request), event = :event, expiresAt = :expires',
        ConditionExpression: intent.knownRequests === 0 ? 'attribute_not_exists(pk)' : 'size(requests) = :known',
        ExpressionAttributeValues: {
          ':none': [],
          ':request': [request],
          ':event': intent.event,
          ':expires': Math.floor(now.getTime() / 1000) + REDELIVERY_MEMORY_SECONDS,
          ...(intent.knownRequests === 0 ? {} : { ':known': intent.knownRequests }),
        },
      }),
    );
    return intent.knownRequests;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ConcurrentUpdate(`the redeliveries of ${guid}`, { cause: err });
    throw err;
  }
}

/** Records what became of request `index` (its POST's answer, or the redelivery found in GitHub's list). */
export async function recordRedeliveryOutcome(table: TableHandle, appId: string, guid: string, index: number, outcome: RedeliveryOutcome, detail?: string): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.redelivery(appId, guid),
      // The index is ours (from recordRedeliveryIntent or the record just read), never outside data.
      UpdateExpression: `SET requests[${index}].outcome = :outcome${detail === undefined ? '' : `, requests[${index}].detail = :detail`}`,
      ConditionExpression: `attribute_exists(requests[${index}])`,
      ExpressionAttributeValues: { ':outcome': outcome, ...(detail === undefined ? {} : { ':detail': detail }) },
    }),
  );
}
