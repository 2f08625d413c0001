import { WebClient } from '@slack/web-api';
import { SlackError } from './errors';
import { nodeHttpFetch } from '../http-client/node-http-fetch';
import type { SlackPort } from './port';
import { postToResponseUrl, responseUrlAllowed } from './respond';
import { logger } from '../../core/log';
import { retryPolicy, withRetry, type SlackRetryOptions } from './retry';
import { webClientLogger } from './web-client-logger';
import { findPosted, postMetadata } from './find-posted';

export interface WebSlackOptions {
  token: string;
  /** Slack Web API base, e.g. `https://slack.com/api/` or a GovSlack/Enterprise one (SLACK_API_URL). */
  apiUrl: string;
  retry?: SlackRetryOptions;
}

function required(method: string, field: string, value: string | undefined): string {
  if (!value) throw new SlackError(`Slack ${method} answered ok without a ${field}; is SLACK_API_URL a Slack Web API?`);
  return value;
}

/**
 * The real Slack, through WebClient. WebClient's own retry policy (ten retries over ~30 minutes, and any
 * Retry-After slept out) would outlive our Lambdas, so it is switched off and `withRetry` bounds it instead.
 */
export function createWebSlack(options: WebSlackOptions): SlackPort {
  const policy = retryPolicy(options.retry);
  const client = new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    // Surface a 429 to withRetry, which waits out a short Retry-After and refuses a long one.
    rejectRateLimitedCalls: true,
    timeout: policy.requestTimeoutMs,
    logger: webClientLogger(),
    fetch: nodeHttpFetch,
  });

  const port: SlackPort = {
    async postMessage({ channel, text, blocks, threadTs, effectId }) {
      const method = 'chat.postMessage';
      const post = () => client.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}), ...(effectId ? { metadata: postMetadata(effectId) } : {}) });
      if (!effectId) {
        const result = await withRetry(method, policy, post);
        return { channel: required(method, 'channel', result.channel), ts: required(method, 'ts', result.ts) };
      }
      // A 5xx or a timeout does not say whether Slack posted: before trying again, look for the post.
      const since = new Date(policy.now());
      let attempted = false;
      return withRetry(method, policy, async () => {
        if (attempted) {
          const earlier = await findPosted(client, policy, { channel, ...(threadTs ? { threadTs } : {}), effectId, since });
          if (earlier) return earlier;
        }
        attempted = true;
        const result = await post();
        return { channel: required(method, 'channel', result.channel), ts: required(method, 'ts', result.ts) };
      });
    },

    findPosted: (q) => findPosted(client, policy, q),

    async updateMessage({ channel, ts, text, blocks }) {
      const method = 'chat.update';
      // chat.update keeps the old blocks unless given new ones; an empty list removes them.
      const result = await withRetry(method, policy, () => client.chat.update({ channel, ts, text, blocks: blocks ?? [] }));
      return { channel: required(method, 'channel', result.channel), ts: required(method, 'ts', result.ts) };
    },

    async postEphemeral({ channel, user, text, threadTs, blocks }) {
      await withRetry('chat.postEphemeral', policy, () =>
        client.chat.postEphemeral({ channel, user, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) }),
      );
    },

    async uploadFile({ channel, threadTs, filename, title, content, initialComment }) {
      // files.upload was retired in 2025; filesUploadV2 = getUploadURLExternal, POST the bytes, completeUploadExternal.
      const destination = threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
      await withRetry('files.uploadV2', policy, () =>
        client.filesUploadV2({ ...destination, filename, title, content, ...(initialComment ? { initial_comment: initialComment } : {}) }),
      );
    },

    async respond({ responseUrl, channel, user, threadTs, responseType, text, blocks }) {
      if (responseUrl && responseUrlAllowed(responseUrl, options.apiUrl)) {
        if (await postToResponseUrl(responseUrl, { response_type: responseType, text, ...(blocks ? { blocks } : {}) }, policy.requestTimeoutMs)) return;
      } else if (responseUrl) {
        // A response_url elsewhere would post the answer (and the ids in it) to whoever wrote the request.
        logger.warn('ignoring a response_url outside Slack; answering through the Web API instead');
      }
      if (responseType === 'in_channel') await port.postMessage({ channel, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { threadTs } : {}) });
      else await port.postEphemeral({ channel, user, text, ...(blocks ? { blocks } : {}), ...(threadTs ? { threadTs } : {}) });
    },
  };
  return port;
}
