import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { keys } from './keys';

/** Clicks of one button closer together than this are one click: a double click, or two people at once. */
export const CLICK_WINDOW_SECONDS = 3;
/** Housekeeping only (TTL): the window is compared on action_ts, never on this. */
const CLICK_MEMORY_SECONDS = 24 * 3600;

export interface Click {
  channel: string;
  messageTs: string;
  actionId: string;
  /** The button's value or the menu option chosen: another choice in the same menu is another click. */
  value: string;
  /** Slack's `action_ts`: when the user clicked, whenever the click is processed. */
  actionTs: string;
  user: string;
}

export type ClickClaim = { claimed: true } | { claimed: false; by: string };

/**
 * Claims a click of a button, unless the same button was clicked within CLICK_WINDOW_SECONDS of it. Decided on
 * Slack's action_ts, not on when the queue delivers the click, so a double click runs once however quickly
 * its first job finishes. The same click again (a redelivery) is claimed again: it is the same click.
 */
export async function claimClick(table: TableHandle, click: Click, now = new Date()): Promise<ClickClaim> {
  const button = createHash('sha256').update([click.channel, click.messageTs, click.actionId, click.value].join('\n')).digest('hex').slice(0, 40);
  const key = keys.click(button);
  const at = Number(click.actionTs);
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...key, actionTs: at, user: click.user, expiresAt: Math.floor(now.getTime() / 1000) + CLICK_MEMORY_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR actionTs < :low OR actionTs > :high OR (actionTs = :at AND #user = :user)',
        ExpressionAttributeNames: { '#user': 'user' },
        ExpressionAttributeValues: { ':low': at - CLICK_WINDOW_SECONDS, ':high': at + CLICK_WINDOW_SECONDS, ':at': at, ':user': click.user },
      }),
    );
    return { claimed: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }));
    return { claimed: false, by: String(Item?.user ?? click.user) };
  }
}
