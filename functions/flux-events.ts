import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readSecret, type Env } from '../lib/config';
import { errorResponse, header, json, rawBody, verifyFluxRequest, type HttpResponse } from '../lib/http';

export interface FluxEventsHandlerOptions {
  env?: Env;
}

/** POST /flux/events/{cluster}: notification-controller's generic-hmac Provider (DESIGN §2, flow 5). */
export async function handleFluxEvent(event: APIGatewayProxyEventV2, { env = process.env }: FluxEventsHandlerOptions = {}): Promise<HttpResponse> {
  try {
    verifyFluxRequest(await readSecret(env, 'FLUX_WEBHOOK_TOKEN'), rawBody(event), header(event, 'x-signature'));
    // Recording deployments lands with deployment tracking (issue #4).
    return json(501, { error: 'Flux events are verified but not recorded by this version' });
  } catch (err) {
    return errorResponse(err);
  }
}

export const handler = (event: APIGatewayProxyEventV2) => handleFluxEvent(event);
