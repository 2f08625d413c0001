import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TableHandle } from './client';
import { keys } from './keys';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A job as stored. `inputs` and `outcome` are the jobs capability's to shape; the store only keeps them. */
export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  /** `name` is the Slack username, for places outside Slack (GitHub comments and reviews). */
  /** `messageTs` is the "running…" message the worker replaces with the outcome, when there is one. */
  requester: { user: string; name?: string; channel: string; threadTs?: string; messageTs?: string };
  inputs: Record<string, unknown>;
  outcome?: Record<string, unknown>;
  error?: string;
  /** The PR (`owner/repo#n`) or app the job is about, for listing jobs of a PR. */
  subject?: { repository: string; number: number } | { app: string };
  createdAt: string;
  updatedAt: string;
  attempts: number;
  /** Set once the requester has been told the outcome; a redelivery re-reports only when unset. */
  reportedAt?: string;
}

function subjectIndex(subject: JobRecord['subject']): string | undefined {
  if (!subject) return undefined;
  return 'app' in subject ? `APP#${subject.app}` : keys.pullRequestIndex(subject.repository, subject.number);
}

function strip(item: Record<string, unknown>): JobRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...job } = item;
  return job as unknown as JobRecord;
}

/** Creates the job unless one with this id exists: a retried request with the same id creates nothing. */
export async function createJob(table: TableHandle, job: JobRecord): Promise<{ created: boolean; job: JobRecord }> {
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.job(job.id), gsi1pk: subjectIndex(job.subject), gsi1sk: job.subject ? job.createdAt : undefined, ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { created: true, job };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const existing = await getJob(table, job.id);
    if (!existing) throw err;
    return { created: false, job: existing };
  }
}

export async function getJob(table: TableHandle, id: string): Promise<JobRecord | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.job(id), ConsistentRead: true }));
  return Item ? strip(Item) : undefined;
}

/**
 * Moves a job from `from` to `to` only if it is still in `from`; returns the updated job, or undefined
 * when another invocation moved it first (a redelivered SQS message must not run a job twice).
 */
export async function transitionJob(
  table: TableHandle,
  id: string,
  from: JobStatus,
  to: JobStatus,
  patch: { outcome?: Record<string, unknown>; error?: string; requester?: JobRecord['requester'] } = {},
  now = new Date(),
): Promise<JobRecord | undefined> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':from': from, ':to': to, ':now': now.toISOString(), ':one': 1 };
  const sets = ['#status = :to', 'updatedAt = :now'];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#${field} = :${field}`);
  }
  const add = to === 'running' ? ' ADD attempts :one' : '';
  try {
    const { Attributes } = await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.job(id),
        UpdateExpression: `SET ${sets.join(', ')}${add}`,
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: to === 'running' ? values : Object.fromEntries(Object.entries(values).filter(([k]) => k !== ':one')),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? strip(Attributes) : undefined;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

/** Records that the requester was told the job's outcome. */
export async function markJobReported(table: TableHandle, id: string, now = new Date()): Promise<void> {
  await table.doc.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.job(id),
      UpdateExpression: 'SET reportedAt = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':now': now.toISOString() },
    }),
  );
}

/**
 * Fails a job stuck in `running` since before `staleBefore`: its worker was killed (Lambda timeout,
 * crash) and will never finish it. Conditional, so a live worker's own update wins.
 */
export async function failStaleJob(table: TableHandle, id: string, staleBefore: Date, error: string, now = new Date()): Promise<JobRecord | undefined> {
  try {
    const { Attributes } = await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.job(id),
        UpdateExpression: 'SET #status = :failed, #error = :error, updatedAt = :now',
        ConditionExpression: '#status = :running AND updatedAt < :stale',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':failed': 'failed', ':running': 'running', ':error': error, ':now': now.toISOString(), ':stale': staleBefore.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes ? strip(Attributes) : undefined;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

export async function listJobsOfPullRequest(table: TableHandle, repository: string, number: number): Promise<JobRecord[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.pullRequestIndex(repository, number) },
      ScanIndexForward: false,
    }),
  );
  return Items.map(strip);
}

/** DynamoDB items are capped at 400 KB; keep the compressed report well below it. */
export const MAX_RESULT_BYTES = 350_000;

export interface JobResultRecord {
  text: string;
  summary: Record<string, unknown>;
  /** True when the stored text was cut to fit the item size limit. */
  truncated: boolean;
}

/**
 * The last result this process wrote, per table: the job's report reads it back a moment later (the Slack
 * report and the check run each), and answering from here saves that round trip on every job (issue #20).
 * Only the worker running a job writes its result (the job's move to `running` is conditional, and a
 * redelivery never writes one), so what this process wrote last for a job is what a read would return.
 * Kept only once DynamoDB accepted the write; one entry, so a warm container holds no old reports.
 */
const lastWritten = new WeakMap<TableHandle, { id: string; result: JobResultRecord }>();

export async function putJobResult(table: TableHandle, id: string, text: string, summary: Record<string, unknown>): Promise<JobResultRecord> {
  let stored = text;
  let body = gzipSync(stored);
  let truncated = false;
  // Diffs compress ~10x; only pathological output needs cutting, and we say so.
  while (body.byteLength > MAX_RESULT_BYTES) {
    stored = stored.slice(0, Math.floor(stored.length * 0.8));
    body = gzipSync(stored);
    truncated = true;
  }
  await table.doc.send(
    new PutCommand({ TableName: table.tableName, Item: { ...keys.jobResult(id), body, summary, truncated, length: text.length } }),
  );
  const result = { text: stored, summary, truncated };
  lastWritten.set(table, { id, result: structuredClone(result) });
  return result;
}

/** Strongly consistent: the worker reports a result it wrote a moment before. */
export async function getJobResult(table: TableHandle, id: string): Promise<JobResultRecord | undefined> {
  const written = lastWritten.get(table);
  if (written?.id === id) return structuredClone(written.result);
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.jobResult(id), ConsistentRead: true }));
  if (!Item) return undefined;
  const body = Item.body as Uint8Array;
  return { text: gunzipSync(body).toString('utf8'), summary: Item.summary as Record<string, unknown>, truncated: Boolean(Item.truncated) };
}

/** A job that is gone or has ended no longer holds its subject. */
const isFinished = (job: JobRecord | undefined) => !job || job.status === 'succeeded' || job.status === 'failed';

/**
 * The one job that may be queued or running for a subject (e.g. one PR's diff of one Kustomization on
 * one cluster). Two clicks racing on the same button both try to point it at their job; the conditional
 * write lets exactly one win, and the other is told the diff is already running.
 */
export async function claimActiveJob(
  table: TableHandle,
  subject: string,
  jobId: string,
): Promise<{ claimed: true } | { claimed: false; activeJobId: string }> {
  const key = { pk: `ACTIVE#${subject}`, sk: 'ACTIVE' };
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
  const previous = Item?.jobId as string | undefined;
  if (previous && previous !== jobId && !isFinished(await getJob(table, previous))) return { claimed: false, activeJobId: previous };
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...key, jobId },
        ConditionExpression: previous ? 'jobId = :previous' : 'attribute_not_exists(pk)',
        ...(previous ? { ExpressionAttributeValues: { ':previous': previous } } : {}),
      }),
    );
    return { claimed: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const { Item: winner } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
    return { claimed: false, activeJobId: String(winner?.jobId ?? previous ?? '') };
  }
}
