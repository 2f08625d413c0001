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
 * The effects this process saw done, per table, so asking again costs no round trip (issue #20: the diff
 * report's check run was read from the ledger twice, at flux's start and in the report). `done` is final:
 * no code writes a result over another or takes one back, so what was read once stays true. Bounded: the
 * oldest are forgotten first, and a forgotten one is read from the table as before.
 */
type DoneEffect = Extract<EffectState, { state: 'done' }>;
const seenDone = new WeakMap<TableHandle, Map<string, DoneEffect>>();
const SEEN_DONE_LIMIT = 500;

function rememberDone(table: TableHandle, id: string, state: EffectState): EffectState {
  if (state.state !== 'done') return state;
  let seen = seenDone.get(table);
  if (!seen) seenDone.set(table, (seen = new Map<string, DoneEffect>()));
  seen.delete(id);
  seen.set(id, state);
  if (seen.size > SEEN_DONE_LIMIT) seen.delete(seen.keys().next().value as string);
  return state;
}

const doneBefore = (table: TableHandle, id: string) => seenDone.get(table)?.get(id);

/**
 * Records the intent to make effect `id` and returns what was recorded before, in one conditional-free
 * update: the first intent's time is kept (`if_not_exists`), so every later attempt knows since when to
 * look for the effect. An effect this process already saw done is answered from memory: its result is final.
 */
export async function beginEffect(table: TableHandle, id: string, now = new Date(), intent?: Record<string, unknown>): Promise<EffectState> {
  const done = doneBefore(table, id);
  if (done) return done;
  const { Attributes: before } = await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.effect(id),
      UpdateExpression: `SET intentAt = if_not_exists(intentAt, :now), expiresAt = :expires${intent ? ', intent = if_not_exists(intent, :intent)' : ''} ADD attempts :one`,
      ExpressionAttributeValues: { ':now': now.toISOString(), ':expires': Math.floor(now.getTime() / 1000) + EFFECT_MEMORY_SECONDS, ':one': 1, ...(intent ? { ':intent': intent } : {}) },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return rememberDone(table, id, stateOf(before));
}

function stateOf(item: Record<string, unknown> | undefined): EffectState {
  if (!item || typeof item.intentAt !== 'string') return { state: 'new' };
  const intentAt = new Date(item.intentAt);
  if (item.result && typeof item.result === 'object') return { state: 'done', result: item.result as Record<string, unknown>, intentAt };
  return { state: 'intended', intentAt, attempts: Number(item.attempts ?? 1), ...(item.intent && typeof item.intent === 'object' ? { intent: item.intent as Record<string, unknown> } : {}) };
}

/**
 * Records what effect `id` produced (a Slack channel and ts, a review URL): from now on it is `done`. It
 * may come without a recorded intent (a job report's first run records its posts' intents as the report's
 * own, lib/flows/effects/report-run.ts), so it sets what beginEffect would have.
 */
export async function completeEffect(table: TableHandle, id: string, result: Record<string, unknown>, now = new Date()): Promise<void> {
  const { Attributes: after } = await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.effect(id),
      UpdateExpression: 'SET #result = :result, doneAt = :now, intentAt = if_not_exists(intentAt, :now), expiresAt = if_not_exists(expiresAt, :expires)',
      ExpressionAttributeNames: { '#result': 'result' },
      ExpressionAttributeValues: { ':result': result, ':now': now.toISOString(), ':expires': Math.floor(now.getTime() / 1000) + EFFECT_MEMORY_SECONDS },
      ReturnValues: 'ALL_NEW',
    }),
  );
  rememberDone(table, id, stateOf(after));
}

/** What the ledger holds for effect `id`, without recording an attempt. */
export async function getEffect(table: TableHandle, id: string): Promise<EffectState> {
  const done = doneBefore(table, id);
  if (done) return done;
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.effect(id), ConsistentRead: true }));
  return rememberDone(table, id, stateOf(Item));
}
