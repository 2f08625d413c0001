// First, before any zod schema is built: see the module.
import '../lib/runtime/zod-jitless';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readSecret, type Env } from '../lib/config';
import { errorResponse, header, json, rawBody, text, verifySlackRequest, type HttpResponse } from '../lib/http';
import { handleBlockActions, handleSlashCommand, parseInteraction, parseSlashCommand } from '../lib/interactions';
import { logger } from '../lib/log';
import { runtimeFor } from '../lib/runtime';

export interface SlackHandlerOptions {
  env?: Env;
  /** Injected so the 5-minute replay window is testable. */
  nowMilliseconds?: () => number;
}

/** POST /slack/commands and POST /slack/interactions. Slack shows an error after 3 s: queue, then answer. */
export async function handleSlackRequest(event: APIGatewayProxyEventV2, { env = process.env, nowMilliseconds }: SlackHandlerOptions = {}): Promise<HttpResponse> {
  const retry = header(event, 'x-slack-retry-num');
  logger.appendKeys({ slackRoute: event.rawPath, ...(retry ? { slackRetry: retry } : {}) });
  try {
    const body = rawBody(event);
    verifySlackRequest(
      await readSecret(env, 'SLACK_SIGNING_SECRET'),
      body,
      header(event, 'x-slack-request-timestamp'),
      header(event, 'x-slack-signature'),
      nowMilliseconds ? { nowMilliseconds } : {},
    );
    const runtime = await runtimeFor(env);
    if (event.rawPath.endsWith('/commands')) {
      const reply = await handleSlashCommand(runtime, parseSlashCommand(body.toString('utf8')));
      return reply ? json(200, reply) : text(200, '');
    }
    const interaction = parseInteraction(body.toString('utf8'));
    if (interaction.type === 'block_actions') await handleBlockActions(runtime, interaction.payload);
    else logger.info('interaction type not handled', { kind: interaction.kind });
    return text(200, '');
  } catch (err) {
    return errorResponse(err);
  } finally {
    logger.removeKeys(['slackRoute', 'slackRetry']);
  }
}

export const handler = (event: APIGatewayProxyEventV2) => handleSlackRequest(event);
