import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { ConcurrentUpdate } from './errors';
import { keys } from './keys';

export interface NoticeDiffTarget {
  kustomization: string;
  cluster: string;
}

export type NoticeState = 'open' | 'draft' | 'merged' | 'closed';

/** The one Slack message that stands for a pull request. */
export interface PrNotice {
  repository: string;
  number: number;
  /** Empty until the first post succeeds. */
  channel: string;
  ts?: string;
  headSha: string;
  state: NoticeState;
  title: string;
  diffs: NoticeDiffTarget[];
  matchedPaths: string[];
  matchedPathCount: number;
  /**
   * The changed files some diff target of the PR reads, as the notice found them for `headSha`
   * (lib/flows/diffs/discover-targets.ts); absent when the targets were not looked for on the clusters.
   */
  readByTargets?: string[];
  /**
   * The bytes of the files of the commit the notice's targets were found in, from GitHub's tree: a diff of a
   * small repository downloads its tarball without listing the tree first (lib/flows/diffs/scoped-checkout.ts).
   */
  repositoryBytes?: number;
  /** The GitHub App installation the PR's delivery came from: a diff reads the PR as it, without looking it up first. */
  installationId?: number;
  /** The PR's updated_at in the event that last wrote the notice: an older event arriving later changes nothing. */
  prUpdatedAt?: string;
  /** Bumped on every write; each write is conditional on the version it read. */
  version: number;
  updatedAt: string;
}

export async function getNotice(table: TableHandle, repository: string, number: number): Promise<PrNotice | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: keys.notice(repository, number), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...notice } = Item;
  return notice as PrNotice;
}

/**
 * Writes the notice if nobody changed it since `expectedVersion` was read (0 = must not exist yet).
 * Two deliveries for the same PR racing to post the first message: exactly one wins.
 */
export async function saveNotice(table: TableHandle, notice: Omit<PrNotice, 'version'>, expectedVersion: number): Promise<PrNotice> {
  const next: PrNotice = { ...notice, version: expectedVersion + 1 };
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.notice(notice.repository, notice.number), ...next },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ConcurrentUpdate(`notice of ${notice.repository}#${notice.number}`, { cause: err });
    throw err;
  }
  return next;
}

/** Drops a notice claim whose first post failed, so the next delivery may post at once. */
export async function deleteNotice(table: TableHandle, repository: string, number: number, expectedVersion: number): Promise<void> {
  try {
    await table.doc.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: keys.notice(repository, number),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) throw new ConcurrentUpdate(`notice of ${repository}#${number}`, { cause: err });
    throw err;
  }
}
