import * as z from '../../core/validation';
import { onFirstUse } from '../../core/validation/on-first-use';
import { MalformedRequest } from '../../core/http';

/**
 * Built on first use (as config.yaml's are, configSchemas()): this module is in the Slack ingress, whose cold
 * start is the figure a click waits for, and a click needs neither (bench/README.md).
 */
function buildSchemas() {
  /** A slash command as Slack posts it (application/x-www-form-urlencoded). */
  const slashCommandSchema = z.object({
    command: z.string(),
    text: z._default(z.string(), ''),
    user_id: z.string().check(z.minLength(1)),
    user_name: z.optional(z.string()),
    channel_id: z.string().check(z.minLength(1)),
    team_id: z.optional(z.string()),
    response_url: z.optional(z.url()),
    trigger_id: z.string().check(z.minLength(1)),
  });

  const actionSchema = z.object({
    action_id: z.string(),
    block_id: z.optional(z.string()),
    value: z.optional(z.string()),
    selected_option: z.optional(z.object({ value: z.string() })),
    action_ts: z.string(),
  });

  /** A `block_actions` interaction (button click or select), sent as a `payload` form field holding JSON. */
  const blockActionsSchema = z.object({
    type: z.literal('block_actions'),
    trigger_id: z.string().check(z.minLength(1)),
    user: z.object({ id: z.string().check(z.minLength(1)), username: z.optional(z.string()), name: z.optional(z.string()) }),
    channel: z.optional(z.object({ id: z.string().check(z.minLength(1)) })),
    container: z.optional(z.partial(z.object({ message_ts: z.optional(z.string()), thread_ts: z.optional(z.string()), channel_id: z.optional(z.string()) }))),
    message: z.optional(z.partial(z.object({ ts: z.string(), thread_ts: z.optional(z.string()) }))),
    response_url: z.optional(z.url()),
    actions: z.array(actionSchema).check(z.minLength(1)),
  });

  return { slashCommandSchema, blockActionsSchema };
}

type Schemas = ReturnType<typeof buildSchemas>;
const schemas = onFirstUse(buildSchemas);

/**
 * A slash command, or a mention read as one: `thread_ts` is the mention's thread (a slash command never has
 * one), where the answer and the "running…" message go.
 */
export type SlashCommand = z.infer<Schemas['slashCommandSchema']> & { thread_ts?: string };
export type BlockActions = z.infer<Schemas['blockActionsSchema']>;

export function parseSlashCommand(body: string): SlashCommand {
  const result = schemas().slashCommandSchema.safeParse(Object.fromEntries(new URLSearchParams(body)));
  if (!result.success) throw new MalformedRequest(`not a Slack slash command: ${z.firstIssue(result.error)}`);
  return result.data;
}

export type Interaction = { type: 'block_actions'; payload: BlockActions } | { type: 'other'; kind: string };

/** The JSON of an interaction's `payload` form field, and its `type` ('' when it has none). */
export function interactionPayloadOf(body: string): { json: unknown; kind: string } {
  const raw = new URLSearchParams(body).get('payload');
  if (!raw) throw new MalformedRequest('not a Slack interaction: missing payload field');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new MalformedRequest('not a Slack interaction: payload is not JSON');
  }
  const kind = typeof json === 'object' && json !== null && 'type' in json && typeof json.type === 'string' ? json.type : '';
  return { json, kind };
}

export function parseInteraction(body: string): Interaction {
  const { json, kind } = interactionPayloadOf(body);
  if (kind !== 'block_actions') return { type: 'other', kind };
  const result = schemas().blockActionsSchema.safeParse(json);
  if (!result.success) throw new MalformedRequest(`not a Slack block_actions payload: ${z.firstIssue(result.error)}`);
  return { type: 'block_actions', payload: result.data };
}
