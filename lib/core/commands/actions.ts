import * as z from '../validation';
import { UnknownAction } from './errors';
import { FLUX_KINDS } from './flux-cli';

const repository = z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/));
/** `namespace/name`, as config.yaml writes diff targets. */
const qualifiedName = z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/));

/** What a Fluxline button does; its value carries this, so a click needs no server-side state. */
export const buttonActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('flux-diff'), repository, number: z.int().check(z.positive()), kustomization: qualifiedName, cluster: z.string().check(z.minLength(1), z.maxLength(63)) }),
  z.object({ type: z.literal('post-diff'), jobId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  z.object({ type: z.literal('approve'), jobId: z.string().check(z.minLength(1), z.maxLength(100)) }),
  /**
   * A row of a `flux get` table, chosen in its select menu. Slack caps an option value at 150 characters,
   * too few for a cluster, kind, namespace and a 253-character name: the value points at the stored job
   * result (the table as flux printed it) and the row in it instead.
   */
  z.object({ type: z.literal('flux-row'), jobId: z.string().check(z.minLength(1), z.maxLength(64)), row: z.int().check(z.gte(0), z.lte(99_999)) }),
  /** An action on one Flux object, offered once its row is chosen; `threadTs` is the thread of the table, where the answer goes. */
  z.object({
    type: z.literal('flux-run'),
    action: z.enum(['reconcile', 'suspend', 'resume', 'events', 'tree', 'diff']),
    cluster: z.string().check(z.minLength(1), z.maxLength(63)),
    kind: z.enum(FLUX_KINDS),
    namespace: z.string().check(z.minLength(1), z.maxLength(63)),
    name: z.string().check(z.minLength(1), z.maxLength(253)),
    threadTs: z.optional(z.string().check(z.maxLength(32))),
  }),
]);

export type ButtonAction = z.infer<typeof buttonActionSchema>;

/** Slack caps a button value at 2,000 characters. */
const MAX_VALUE_CHARS = 2_000;
const VERSION = 1;

export function encodeAction(action: ButtonAction): string {
  const value = JSON.stringify({ v: VERSION, ...buttonActionSchema.parse(action) });
  if (value.length > MAX_VALUE_CHARS) throw new UnknownAction(`button value of ${value.length} characters exceeds Slack's ${MAX_VALUE_CHARS}`);
  return value;
}

/** Slack caps a select menu option's value at 150 characters. */
const MAX_OPTION_VALUE_CHARS = 150;

/** The value of a select menu option: the same JSON as a button's, under the option's tighter cap. */
export function encodeOptionValue(action: ButtonAction): string {
  const value = encodeAction(action);
  if (value.length > MAX_OPTION_VALUE_CHARS) throw new UnknownAction(`option value of ${value.length} characters exceeds Slack's ${MAX_OPTION_VALUE_CHARS}`);
  return value;
}

/** Parses a button value back; anything we did not write is refused, never trusted. */
export function decodeAction(value: string): ButtonAction {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    throw new UnknownAction('the button value is not Fluxline JSON');
  }
  if (typeof json !== 'object' || json === null || (json as { v?: unknown }).v !== VERSION) throw new UnknownAction('the button comes from another Fluxline version');
  const parsed = buttonActionSchema.safeParse(json);
  if (!parsed.success) throw new UnknownAction(`the button value is invalid (${parsed.error.issues[0]?.path.join('.') ?? 'unknown'})`);
  return parsed.data;
}
