import type { OutgoingMessage } from '../../adapters/queue/message-queue';
import type { AuditEntry } from '../../adapters/store/audit';
import { SQS_BODY_LIMIT } from './github-delivery-message';

/** A verified Slack request as it travels from the ingress to its consumer. */
export type SlackRequestMessage =
  /** The form body of a slash command or an interaction, as Slack signed it. */
  | { v: 1; kind: 'command' | 'interaction'; body: string }
  /** An `app_mention` from the Events API, as the consumer needs it (a `SlackMention` as JSON). */
  | { v: 1; kind: 'mention'; body: string }
  /** A refusal answered in the HTTP response, whose audit line still has to be written. */
  | { v: 1; kind: 'audit'; id: string; at: string; entry: AuditEntry };

/**
 * An interaction carries the whole message it was clicked on (up to 50 blocks of 3,000 characters, twice
 * that once form-encoded), which can exceed SQS's 256 KiB. The consumer reads none of it but the ids:
 * drop the message's blocks and attachments, and the view and state, when the whole would not fit.
 */
function slimInteraction(body: string): string {
  const form = new URLSearchParams(body);
  const payload = JSON.parse(form.get('payload') ?? '{}') as Record<string, unknown> & { message?: Record<string, unknown> };
  if (payload.message) {
    delete payload.message.blocks;
    delete payload.message.attachments;
  }
  delete payload.view;
  delete payload.state;
  form.set('payload', JSON.stringify(payload));
  return form.toString();
}

/** The queue message for a Slack request, or undefined when even its slim form exceeds SQS's limit. */
export function slackRequestMessage(message: SlackRequestMessage): OutgoingMessage | undefined {
  let body = JSON.stringify(message);
  if (Buffer.byteLength(body) > SQS_BODY_LIMIT && message.kind === 'interaction') body = JSON.stringify({ ...message, body: slimInteraction(message.body) });
  return Buffer.byteLength(body) > SQS_BODY_LIMIT ? undefined : { body };
}
