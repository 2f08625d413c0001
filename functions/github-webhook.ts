import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Env } from '../lib/core/config/env';
import { readSecret } from '../lib/adapters/secrets/secrets';
import { answerWithin, asDependencyTimeout } from '../lib/core/http/deadline';
import { errorResponse, type HttpResponse } from '../lib/core/http/response';
import { header, rawBody } from '../lib/core/http/request';
import { acceptGithubDelivery } from '../lib/flows/ingress/accept-github-delivery';
import { logger } from '../lib/core/log';
import { ingressQueue } from './compose/ingress-queues';

export interface GithubWebhookOptions {
  /**
   * The answer's budget: past it, a 503 (the redelivery sweep asks GitHub again) rather than GitHub
   * dropping the delivery at its 10 s with no answer.
   * @default 8000
   */
  deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 8_000;

/** POST /github/webhook: verify, make durable, answer 202. The PR notice is the deliveries consumer's work. */
export async function handleGithubWebhook(event: APIGatewayProxyEventV2, env: Env = process.env, { deadlineMs = DEFAULT_DEADLINE_MS }: GithubWebhookOptions = {}): Promise<HttpResponse> {
  logger.appendKeys({ deliveryId: header(event, 'x-github-delivery') ?? 'unknown', githubEvent: header(event, 'x-github-event') ?? '' });
  try {
    return await answerWithin(deadlineMs, async () => {
      const deps = { secret: await readSecret(env, 'GITHUB_WEBHOOK_SECRET'), queue: ingressQueue(env, 'githubDeliveries') };
      return await acceptGithubDelivery(deps, { body: rawBody(event), header: (name) => header(event, name) });
    });
  } catch (err) {
    return errorResponse(asDependencyTimeout(err));
  } finally {
    logger.removeKeys(['deliveryId', 'githubEvent']);
  }
}

export const handler = (event: APIGatewayProxyEventV2) => handleGithubWebhook(event);
