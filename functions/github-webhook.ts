// First, before any zod schema is built: see the module.
import '../lib/runtime/zod-jitless';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readSecret } from '../lib/config';
import { errorResponse, header, json, MalformedRequest, rawBody, verifyGithubRequest, type HttpResponse } from '../lib/http';
import { logger } from '../lib/log';
import { receiveDelivery } from '../lib/notices';
import { runtimeFor } from '../lib/runtime';
import type { Env } from '../lib/config';

/** POST /github/webhook. GitHub gives up after 10 s, so nothing here waits on a flux run. */
export async function handleGithubWebhook(event: APIGatewayProxyEventV2, env: Env = process.env): Promise<HttpResponse> {
  const deliveryId = header(event, 'x-github-delivery') ?? 'unknown';
  const eventName = header(event, 'x-github-event') ?? '';
  logger.appendKeys({ deliveryId, githubEvent: eventName });
  try {
    const body = rawBody(event);
    await verifyGithubRequest(await readSecret(env, 'GITHUB_WEBHOOK_SECRET'), body, header(event, 'x-hub-signature-256'));
    if (!eventName) throw new MalformedRequest('missing X-GitHub-Event header');
    if (deliveryId === 'unknown') throw new MalformedRequest('missing X-GitHub-Delivery header');
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      throw new MalformedRequest('body is not valid JSON');
    }

    const runtime = await runtimeFor(env);
    const appId = runtime.settings.githubAppId ?? 'local';
    const outcome = await receiveDelivery({ ...runtime, appId }, { id: deliveryId, event: eventName, payload });
    logger.info('webhook handled', { outcome });
    return json(outcome.status === 'pong' || outcome.status === 'processed' ? 200 : 202, outcome);
  } catch (err) {
    return errorResponse(err);
  } finally {
    logger.removeKeys(['deliveryId', 'githubEvent']);
  }
}

export const handler = (event: APIGatewayProxyEventV2) => handleGithubWebhook(event);
