import type { KnownBlock } from '@slack/web-api';
import { networkReason } from './network-reason';
import { nodeHttpFetch } from '../http-client/node-http-fetch';
import { logger } from '../../core/log';
import { SlackRateLimited, SlackRequestFailed } from './errors';

/** An answer to one slash command or click, for the user who sent it. */
export interface Respond {
  /** The request's response_url, when Slack sent one: it works in DMs and channels the bot is not in. */
  responseUrl?: string;
  channel: string;
  user: string;
  threadTs?: string;
  /** `in_channel`: everyone in the channel sees it; `ephemeral`: only the user. */
  responseType: 'ephemeral' | 'in_channel';
  text: string;
  /** Block Kit for the answer (an executor's message); `text` stays the notification fallback. */
  blocks?: KnownBlock[];
}

/** Slack posts response URLs under hooks.slack.com; the Web API's own origin (SLACK_API_URL) serves GovSlack and the fakes. */
export function responseUrlAllowed(url: string, apiUrl: string): boolean {
  try {
    const { origin, protocol } = new URL(url);
    if (origin === 'https://hooks.slack.com') return true;
    return (protocol === 'https:' || protocol === 'http:') && origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/**
 * POSTs the answer to the response_url. Slack lets a response_url be used five times within 30 minutes;
 * after that (a long outage delayed the consumer) it answers 404, and false tells the caller to post
 * instead. A 429 or 5xx throws, so the queue delivers the request again after the wait Slack asks for.
 */
export async function postToResponseUrl(url: string, message: { response_type: string; text: string; blocks?: KnownBlock[] }, timeoutMs = 3000): Promise<boolean> {
  const method = 'response_url';
  let response;
  try {
    response = await nodeHttpFetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(message), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new SlackRequestFailed(method, 1, undefined, `could not reach Slack (${networkReason(err as Error, timeoutMs)})`, { cause: err });
  }
  const answer = await response.text();
  if (response.status === 429) throw new SlackRateLimited(method, Number(response.headers.get('retry-after')) || 1, 'by the response_url');
  if (response.status >= 500) throw new SlackRequestFailed(method, 1, response.status, `Slack answered HTTP ${response.status}; check https://slack-status.com`);
  if (response.status === 200) return true;
  // Never log the URL: it is a bearer credential for five posts into the user's conversation.
  logger.warn('the response_url refused the answer; posting it instead', { status: response.status, answer: answer.slice(0, 100) });
  return false;
}
