import * as z from '../validation';
import { UnknownAction } from './errors';
import { CLUSTER_NAME, DNS1123_LABEL, DNS1123_SUBDOMAIN, FLUX_KINDS } from './flux-cli';

/*
 * Every field is held to the grammar of what it names, so a decoded action carries nothing that could not
 * be a real name: no `__proto__` or `toString` for a cluster, no `../x` for an object. The server then
 * checks the names against config.yaml and its stored jobs (lib/flows/interactions) before acting.
 */
const repository = z.string().check(z.maxLength(200), z.regex(/^[\w.-]+\/[\w.-]+$/));
/** A Fluxline cluster: config.yaml's cluster grammar. */
const cluster = z.string().check(z.regex(CLUSTER_NAME));
const namespace = z.string().check(z.regex(DNS1123_LABEL));
const objectName = z.string().check(z.regex(DNS1123_SUBDOMAIN));
/** `namespace/name`, as config.yaml writes diff targets. */
const qualifiedName = z.string().check(
  z.maxLength(317),
  z.refine((value) => {
    const [ns = '', name = '', ...rest] = value.split('/');
    return rest.length === 0 && DNS1123_LABEL.test(ns) && DNS1123_SUBDOMAIN.test(name);
  }, 'must be namespace/name'),
);
/** What jobIdFor writes: `<source>-<hex>`. */
const jobId = (max: number) => z.string().check(z.regex(new RegExp(`^[a-z0-9][a-z0-9-]{0,${max - 1}}$`)));
const runAction = z.enum(['reconcile', 'suspend', 'resume', 'events', 'tree', 'diff']);
/** A Slack message ts: `1700000000.000100`. */
const messageTs = z.string().check(z.regex(/^\d{1,12}\.\d{1,8}$/));

/** What a Fluxline button does; its value carries this, so a click needs no server-side state. */
export const buttonActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('flux-diff'), repository, number: z.int().check(z.positive(), z.lte(999_999_999)), kustomization: qualifiedName, cluster }),
  z.object({ type: z.literal('post-diff'), jobId: jobId(100) }),
  z.object({ type: z.literal('approve'), jobId: jobId(100) }),
  /**
   * A row of a `flux get` table, chosen in its select menu. Slack caps an option value at 150 characters,
   * too few for a cluster, kind, namespace and a 253-character name: the value points at the stored job
   * result (the table as flux printed it) and the row in it instead.
   */
  z.object({ type: z.literal('flux-row'), jobId: jobId(64), row: z.int().check(z.gte(0), z.lte(99_999)) }),
  /**
   * An action on one Flux object, offered once its row is chosen: the object and its cluster are read
   * again from the stored table (as for `flux-row`), never from the value. `threadTs` is the thread of
   * the table, where the answer goes.
   */
  z.object({ type: z.literal('flux-item'), action: runAction, jobId: jobId(64), row: z.int().check(z.gte(0), z.lte(99_999)), threadTs: z.optional(messageTs) }),
  /**
   * The same, as Fluxline wrote it before `flux-item`: the object in the value. Still on ephemeral
   * messages users may click; held to the names' grammar and authorized exactly like the typed command.
   */
  /**
   * One reading of an ambiguous `/flux promote APP@VERSION` (chart version, app version, image tag): the
   * value names the promote job and the index of the reading it stored; the app, version and environment
   * are read from that job, and the click is authorized like the typed command.
   */
  z.object({ type: z.literal('promote-choice'), jobId: jobId(100), choice: z.int().check(z.gte(0), z.lte(9)) }),
  /**
   * Suspend one ImageUpdateAutomation a promote or rollback warned about: the value names that job and the
   * automation's index in the outcome it stored; the cluster and object are read from the job.
   */
  z.object({ type: z.literal('suspend-automation'), jobId: jobId(100), automation: z.int().check(z.gte(0), z.lte(9)) }),
  /**
   * Pin the version a promote or rollback wrote on a line that carries an image policy marker: the value
   * names that job and the marker's index in the outcome it stored; the file, line and version are read from the job.
   */
  z.object({ type: z.literal('pin-policy'), jobId: jobId(100), marker: z.int().check(z.gte(0), z.lte(9)) }),
  /**
   * A button or menu option of an executor's answer (issue #19): the command line it runs, as if typed
   * after `/flux`. It is parsed, bound and authorized exactly like the typed command, so it carries no trust.
   */
  z.object({ type: z.literal('run-command'), command: z.string().check(z.minLength(1), z.maxLength(500)) }),
  z.object({
    type: z.literal('flux-run'),
    action: runAction,
    cluster,
    kind: z.enum(FLUX_KINDS),
    namespace,
    name: objectName,
    threadTs: z.optional(messageTs),
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

/**
 * Parses a button value back; anything we did not write is refused, never trusted. Throws UnknownAction
 * (a CommandError) and nothing else, whatever the string.
 */
export function decodeAction(value: string): ButtonAction {
  if (value.length > MAX_VALUE_CHARS) throw new UnknownAction(`the button value is longer than Slack's ${MAX_VALUE_CHARS} characters`);
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
