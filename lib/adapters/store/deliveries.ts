import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { keys } from './keys';

/** How long a webhook delivery id is remembered; GitHub redelivers manually for up to 3 days. */
export const DELIVERY_MEMORY_SECONDS = 7 * 24 * 3600;
/** A claim older than this whose processing never finished (crashed Lambda) may be taken again. */
const STALE_CLAIM_SECONDS = 120;

export type DeliveryClaim = 'claimed' | 'already-processed' | 'in-progress';

/**
 * Claims a webhook delivery for processing. Expiry is compared here, in the condition, because
 * DynamoDB Local never runs TTL deletion and AWS runs it up to days late.
 */
export async function claimDelivery(table: TableHandle, appId: string, deliveryId: string, now = new Date()): Promise<DeliveryClaim> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.delivery(appId, deliveryId), status: 'processing', claimedAt: nowSeconds, expiresAt: nowSeconds + DELIVERY_MEMORY_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR (#status = :processing AND claimedAt < :stale)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':now': nowSeconds, ':processing': 'processing', ':stale': nowSeconds - STALE_CLAIM_SECONDS },
      }),
    );
    return 'claimed';
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    return 'already-processed';
  }
}

export async function completeDelivery(table: TableHandle, appId: string, deliveryId: string, outcome: string): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.delivery(appId, deliveryId),
      UpdateExpression: 'SET #status = :done, outcome = :outcome',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':done': 'done', ':outcome': outcome },
    }),
  );
}

/** Forgets a claim whose processing failed, so GitHub's redelivery is processed instead of dropped. */
export async function releaseDelivery(table: TableHandle, appId: string, deliveryId: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.delivery(appId, deliveryId) }));
}

/** What became of a delivery: `processing` while claimed, `done` with the outcome its consumer recorded. */
export async function getDelivery(table: TableHandle, appId: string, deliveryId: string): Promise<{ status: string; outcome?: string } | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.delivery(appId, deliveryId), ConsistentRead: true }));
  if (!Item) return undefined;
  return { status: String(Item.status), ...(typeof Item.outcome === 'string' ? { outcome: Item.outcome } : {}) };
}
