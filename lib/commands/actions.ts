import { z } from 'zod';
import { UnknownAction } from './errors';

const repository = z.string().regex(/^[\w.-]+\/[\w.-]+$/);
/** `namespace/name`, as config.yaml writes diff targets. */
const qualifiedName = z.string().regex(/^[\w.-]+\/[\w.-]+$/);

/** What a Fluxline button does; its value carries this, so a click needs no server-side state. */
export const buttonActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('flux-diff'), repository, number: z.number().int().positive(), kustomization: qualifiedName, cluster: z.string().min(1).max(63) }),
  z.object({ type: z.literal('post-diff'), jobId: z.string().min(1).max(100) }),
  z.object({ type: z.literal('approve'), jobId: z.string().min(1).max(100) }),
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
