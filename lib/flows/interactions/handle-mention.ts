import { handleSlashCommand, type SlashCommandDeps } from './handle-slash-command';
import { commandTextOf, type SlackMention } from './slack-events';
import type { SlashCommand } from './slack-payloads';

/**
 * `@fluxline promote podinfo@7.0.0 to prod`: the mention read as the `/flux` command it spells, through the
 * same grammar, authorization (user and channel) and audit, with the event_id standing in for the
 * trigger_id. Everything it says goes to the mention's thread: a mention has no response_url, and a
 * mention inside a thread (where slash commands cannot be used) expects its answer there.
 */
export async function handleMention(deps: SlashCommandDeps, mention: SlackMention): Promise<void> {
  const threadTs = mention.threadTs ?? mention.ts;
  const slash: SlashCommand = { command: '/flux', text: commandTextOf(mention.text, mention.botUserId), user_id: mention.user, channel_id: mention.channel, trigger_id: mention.eventId, thread_ts: threadTs };
  const reply = await handleSlashCommand(deps, slash);
  if (!reply) return;
  // In the thread for everyone: the question was asked in public. The effect id makes a retried post find the first.
  // An executor's answer is its blocks; the text is only their notification fallback.
  await deps.slack.postMessage({ channel: mention.channel, threadTs, text: reply.text, ...(reply.blocks ? { blocks: reply.blocks } : {}), effectId: `mention:${mention.eventId}` });
}
