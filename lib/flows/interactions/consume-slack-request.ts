import { MalformedRequest } from '../../core/http/errors';
import { decodeSlackRequest, MalformedQueueMessage } from '../ingress/decode-messages';
import { logger } from '../../core/log';
import type { ReceivedMessage } from '../../adapters/queue';
import type { Store } from '../../adapters/store';
import { handleBlockActions, type BlockActionsDeps } from './handle-block-actions';
import { handleSlashCommand, type SlashCommandDeps } from './handle-slash-command';
import { parseInteraction, parseSlashCommand } from './slack-payloads';
import { handleMention } from './handle-mention';
import { parseQueuedMention } from './slack-events';

export type SlackConsumerDeps = SlashCommandDeps & BlockActionsDeps & { store: Store };

/** Slack requests share the deliveries' claim items, under an "app id" of their own. */
const CLAIM_SCOPE = 'slack';

/** Claims one Slack request by its trigger_id, runs it, and releases the claim when it fails so a redelivery runs it again. */
async function once(store: Store, key: string, run: () => Promise<void>): Promise<void> {
  const claim = await store.claimDelivery(CLAIM_SCOPE, key);
  if (claim !== 'claimed') {
    logger.info('Slack request already handled; ignoring its repeat', { requestKey: key });
    return;
  }
  try {
    await run();
    await store.completeDelivery(CLAIM_SCOPE, key, 'done');
  } catch (err) {
    await store.releaseDelivery(CLAIM_SCOPE, key).catch((releaseError: unknown) => logger.error('could not release the Slack request claim', { requestKey: key, error: releaseError as Error }));
    throw err;
  }
}

/**
 * The Slack requests queue's consumer: a slash command that needs the store or a job, a click, a mention, or the audit
 * line of a refusal the ingress answered. Each request is acted on once (claimed by its trigger_id or event_id: a
 * redelivery or Slack's own retry finds the claim); a failure throws, so the queue retries after its backoff.
 */
export async function consumeSlackRequest(deps: SlackConsumerDeps, message: ReceivedMessage): Promise<void> {
  let request;
  try {
    request = decodeSlackRequest(message.body);
    if (request.kind === 'audit') {
      await deps.store.appendAudit(request.entry, new Date(request.at), request.id);
      return;
    }
    if (request.kind === 'command') {
      const slash = parseSlashCommand(request.body);
      await once(deps.store, `command:${slash.trigger_id}`, async () => {
        const reply = await handleSlashCommand(deps, slash);
        if (!reply) return;
        await deps.slack.respond({ ...(slash.response_url ? { responseUrl: slash.response_url } : {}), channel: slash.channel_id, user: slash.user_id, responseType: reply.response_type, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}) });
      });
      return;
    }
    if (request.kind === 'mention') {
      const mention = parseQueuedMention(request.body);
      // Slack's retries of one event (X-Slack-Retry-Num) carry its event_id: the claim lets one run.
      await once(deps.store, `event:${mention.eventId}`, () => handleMention(deps, mention));
      return;
    }
    const interaction = parseInteraction(request.body);
    if (interaction.type !== 'block_actions') {
      logger.info('interaction type not handled', { kind: interaction.kind });
      return;
    }
    await once(deps.store, `interaction:${interaction.payload.trigger_id}`, () => handleBlockActions(deps, interaction.payload));
  } catch (err) {
    // Slack signed it, so a body our schemas refuse is a Slack change or our bug: retrying cannot help.
    if (!(err instanceof MalformedQueueMessage || err instanceof MalformedRequest)) throw err;
    logger.error('dropping a Slack request Fluxline cannot read', { error: err });
  }
}
