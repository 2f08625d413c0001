import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { keys } from './keys';

export interface AuditEntry {
  /** Slack user id, or `github:<login>` / `flux:<cluster>` for non-human actors. */
  actor: string;
  action: string;
  /** Where it came from: Slack channel, repository, cluster. */
  where: string;
  target: string;
  outcome: 'succeeded' | 'failed' | 'refused';
  detail?: string;
}

/** `id` names the line: a retried write of the same line (a queue redelivery) replaces it instead of adding another. */
export async function appendAudit(table: TableHandle, entry: AuditEntry, at = new Date(), id: string = randomUUID()): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.audit(at, id), at: at.toISOString(), ...entry } }));
}

export async function auditOfDay(table: TableHandle, day: Date): Promise<(AuditEntry & { at: string })[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.audit(day, '').pk },
    }),
  );
  return Items.map(({ pk: _pk, sk: _sk, ...entry }) => entry as AuditEntry & { at: string });
}
