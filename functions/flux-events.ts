import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Env } from '../lib/core/config';
import { preloadParameters, readSecret } from '../lib/adapters/secrets';
import { receiveFluxEvent } from '../lib/flows/deploys';
import { answerWithin, asDependencyTimeout, errorResponse, header, json, rawBody, RequestTooLarge, verifyFluxRequest, type HttpResponse } from '../lib/core/http';
import { logger } from '../lib/core/log';
import { runtimeFor } from './compose/runtime';

export interface FluxEventsHandlerOptions {
  env?: Env;
  /** Injected so the alert throttling window is testable. */
  now?: () => Date;
  /**
   * The answer's budget: past it, a 503 (Flux retries) rather than no answer before Flux's own 15 s.
   * @default 12000
   */
  deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 12_000;

/** notification-controller's events are a few KB (an object, a message, metadata); 256 KiB is ample. */
export const MAX_FLUX_EVENT_BYTES = 256 * 1024;

/**
 * POST /flux/events/{cluster}: notification-controller's `generic-hmac` Provider (DESIGN §2, flow 5).
 * 2xx tells Flux the event is handled; a 5xx makes it retry, which is what we answer when Slack could
 * not take a message the event must produce.
 */
export async function handleFluxEvent(event: APIGatewayProxyEventV2, { env = process.env, now, deadlineMs = DEFAULT_DEADLINE_MS }: FluxEventsHandlerOptions = {}): Promise<HttpResponse> {
  const cluster = event.pathParameters?.cluster ?? '';
  logger.appendKeys({ cluster, requestId: event.requestContext.requestId });
  try {
    return await answerWithin(deadlineMs, async () => {
      const body = rawBody(event);
      if (body.length > MAX_FLUX_EVENT_BYTES) throw new RequestTooLarge(body.length, MAX_FLUX_EVENT_BYTES);
      // The token, the config and the bot token in one SSM call, before the token is needed.
      await preloadParameters(env);
      verifyFluxRequest(await readSecret(env, 'FLUX_WEBHOOK_TOKEN'), body, header(event, 'x-signature'));
      const { config, store, slack, queue } = await runtimeFor(env);
      const outcome = await receiveFluxEvent({ config, store, slack, queue, ...(now ? { now } : {}) }, cluster, body.toString('utf8'));
      return json(outcome.status === 'ignored' ? 202 : 200, outcome);
    });
  } catch (err) {
    // A hung dependency is a 503 Flux retries, not a 500 (DESIGN §2: answer within 15 s).
    return errorResponse(asDependencyTimeout(err));
  } finally {
    logger.removeKeys(['cluster', 'requestId']);
  }
}

export const handler = (event: APIGatewayProxyEventV2) => handleFluxEvent(event);
