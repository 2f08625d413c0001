import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { keys } from './keys';

/** Housekeeping only (TTL): a retry comes within hours (SQS gives up after ~21 minutes, GitHub after 3 days). */
const EFFECT_MEMORY_SECONDS = 30 * 24 * 3600;

/**
 * What the ledger knew of a visible effect (a Slack post, a GitHub review) before this attempt: nothing
 * (`new`: do it), an intent with no result (`intended`: an earlier attempt may have done it; look for it
 * first), or its result (`done`: it happened; never do it again).
 */
export type EffectState =
  | { state: 'new' }
  /** `intent`: what the first attempt recorded it was about to do (e.g. the outcome a report tells). */
  | { state: 'intended'; intentAt: Date; attempts: number; intent?: Record<string, unknown> }
  | { state: 'done'; result: Record<string, unknown>; intentAt: Date };

/**
 * Records the intent to make effect `id` and returns what was recorded before, in one conditional-free
 * update: the first intent's time is kept (`if_not_exists`), so every later attempt knows since when to
 * look for the effect.
 */
export async function beginEffect(table: TableHandle, id: string, now = new Date(), intent?: Record<string, unknown>): Promise<EffectState> {
  const { Attributes: before } = await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.effect(id),
      UpdateExpression: `SET intentAt = if_not_exists(intentAt, :now), expiresAt = :expires${intent ? ', intent = if_not_exists(intent, :intent)' : ''} ADD attempts :one`,
      ExpressionAttributeValues: { ':now': now.toISOString(), ':expires': Math.floor(now.getTime() / 1000) + EFFECT_MEMORY_SECONDS, ':one': 1, ...(intent ? { ':intent': intent } : {}) },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return stateOf(before);
}

function stateOf(item: Record<string, unknown> | undefined): EffectState {
  if (!item || typeof item.intentAt !== 'string') return { state: 'new' };
  const intentAt = new Date(item.intentAt);
  if (item.result && typeof item.result === 'object') return { state: 'done', result: item.result as Record<string, unknown>, intentAt };
  return { state: 'intended', intentAt, attempts: Number(item.attempts ?? 1), ...(item.intent && typeof item.intent === 'object' ? { intent: item.intent as Record<string, unknown> } : {}) };
}

/** Records what effect `id` produced (a Slack channel and ts, a review URL): from now on it is `done`. */
export async function completeEffect(table: TableHandle, id: string, result: Record<string, unknown>, now = new Date()): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.effect(id),
      UpdateExpression: 'SET #result = :result, doneAt = :now, intentAt = if_not_exists(intentAt, :now)',
      ExpressionAttributeNames: { '#result': 'result' },
      ExpressionAttributeValues: { ':result': result, ':now': now.toISOString() },
    }),
  );
}

/** What the ledger holds for effect `id`, without recording an attempt. */
export async function getEffect(table: TableHandle, id: string): Promise<EffectState> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.effect(id), ConsistentRead: true }));
  return stateOf(Item);
}
