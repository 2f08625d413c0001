// The consumers' side of the ingress messages: decoded by a schema before anything acts on them (the
// ingress imports only the encoders, so zod's decoders stay out of nothing it does not already carry).
import * as z from '../../core/validation';
import type { GithubDelivery } from './github-delivery-message';
import type { SlackRequestMessage } from './slack-request-message';

/** A queue message that is not one the ingress writes: retrying cannot fix it. */
export class MalformedQueueMessage extends Error {
  constructor(queue: string, reason: string) {
    super(`${queue} message is not one Fluxline's ingress writes: ${reason}`);
    this.name = 'MalformedQueueMessage';
  }
}

const githubDeliverySchema = z.object({
  v: z.literal(1),
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  event: z.string().check(z.minLength(1), z.maxLength(100)),
  payload: z.record(z.string(), z.unknown()),
  trimmed: z.optional(z.boolean()),
});

const auditEntrySchema = z.object({
  actor: z.string(),
  action: z.string(),
  where: z.string(),
  target: z.string(),
  outcome: z.enum(['succeeded', 'failed', 'refused']),
  detail: z.optional(z.string()),
});

const slackRequestSchema = z.discriminatedUnion('kind', [
  z.object({ v: z.literal(1), kind: z.enum(['command', 'interaction', 'mention']), body: z.string().check(z.maxLength(1024 * 1024)) }),
  z.object({ v: z.literal(1), kind: z.literal('audit'), id: z.string().check(z.minLength(1), z.maxLength(300)), at: z.iso.datetime(), entry: auditEntrySchema }),
]);

function decode<T>(queue: string, schema: z.ZodMiniType<T>, body: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedQueueMessage(queue, 'body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new MalformedQueueMessage(queue, z.firstIssue(parsed.error));
  return parsed.data;
}

export function decodeGithubDelivery(body: string): GithubDelivery {
  const { id, event, payload, trimmed } = decode('GitHub deliveries', githubDeliverySchema, body);
  return { id, event, payload, ...(trimmed ? { trimmed } : {}) };
}

export function decodeSlackRequest(body: string): SlackRequestMessage {
  return decode<SlackRequestMessage>('Slack requests', slackRequestSchema, body);
}
