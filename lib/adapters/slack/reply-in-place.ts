import type { KnownBlock } from '@slack/web-api';
import type { PostedMessage, SlackPort } from './port';

/** Where a job's answer goes: the "running…" message when there is one, else a new message. */
export interface ReplyTarget {
  channel: string;
  threadTs?: string;
  messageTs?: string;
}

/**
 * Replaces the "running…" message with the outcome, so a command leaves one message, not two. Without
 * a message to replace (it could not be posted, or the job came from elsewhere) the outcome is posted.
 */
export async function replyInPlace(slack: SlackPort, target: ReplyTarget, message: { text: string; blocks?: KnownBlock[] }): Promise<PostedMessage> {
  if (target.messageTs) return slack.updateMessage({ channel: target.channel, ts: target.messageTs, ...message });
  return slack.postMessage({ channel: target.channel, ...(target.threadTs ? { threadTs: target.threadTs } : {}), ...message });
}
