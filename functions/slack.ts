import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadConfig } from '../lib/core/config/load';
import { readParameter, readSecret } from '../lib/adapters/secrets/secrets';
import { refreshedWithParameters } from '../lib/adapters/secrets/refreshing';
import type { Env } from '../lib/core/config/env';
import type { Config } from '../lib/core/config/schema';
import { settingsFrom } from '../lib/core/config/env';
import { answerWithin, asDependencyTimeout } from '../lib/core/http/deadline';
import { errorResponse, type HttpResponse } from '../lib/core/http/response';
import { header, rawBody } from '../lib/core/http/request';
import { acceptSlackRequest } from '../lib/flows/ingress/accept-slack-request';
import { acceptSlackEvent } from '../lib/flows/ingress/accept-slack-event';
import { logger } from '../lib/core/log';
import { ingressQueue } from './compose/ingress-queues';

export interface SlackHandlerOptions {
  env?: Env;
  /** Injected so the 5-minute replay window is testable. */
  nowMilliseconds?: () => number;
  /**
   * The answer's budget: past it, a 503 with a one-line reason (Slack shows the user an error) rather
   * than Slack's own "operation_timeout" at 3 s with nothing said.
   * @default 2500
   */
  deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 2_500;

const configs = new Map<Env, () => Promise<Config>>();

/** config.yaml, read once per container and again when its parameter changes (after the 5-minute cache). */
function configOf(env: Env): Promise<Config> {
  let config = configs.get(env);
  if (!config) {
    const location = settingsFrom(env).configLocation;
    config = refreshedWithParameters(env, 'config.yaml', () => loadConfig({ ...(location ? { location } : {}), readParameter, onFallback: (message) => logger.warn(message) }));
    configs.set(env, config);
  }
  return config();
}

/** POST /slack/commands, /slack/interactions and /slack/events: verify, answer from config or make durable, ack. */
export async function handleSlackRequest(event: APIGatewayProxyEventV2, { env = process.env, nowMilliseconds, deadlineMs = DEFAULT_DEADLINE_MS }: SlackHandlerOptions = {}): Promise<HttpResponse> {
  const retry = header(event, 'x-slack-retry-num');
  logger.appendKeys({ slackRoute: event.rawPath, ...(retry ? { slackRetry: retry } : {}) });
  try {
    return await answerWithin(deadlineMs, async () => {
      const deps = { signingSecret: await readSecret(env, 'SLACK_SIGNING_SECRET'), queue: ingressQueue(env, 'slackRequests'), config: () => configOf(env), ...(nowMilliseconds ? { nowMilliseconds } : {}) };
      const request = { body: rawBody(event), header: (name: string) => header(event, name) };
      if (event.rawPath.endsWith('/events')) return await acceptSlackEvent(deps, request);
      const route = event.rawPath.endsWith('/commands') ? 'commands' : 'interactions';
      return await acceptSlackRequest(deps, { route, ...request });
    });
  } catch (err) {
    return errorResponse(asDependencyTimeout(err));
  } finally {
    logger.removeKeys(['slackRoute', 'slackRetry']);
  }
}

export const handler = (event: APIGatewayProxyEventV2) => handleSlackRequest(event);
