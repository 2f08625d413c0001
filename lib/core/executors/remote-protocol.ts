import * as z from '../validation';
import { onFirstUse } from '../validation/on-first-use';

/*
 * The wire contract of an out-of-process executor (issue #19), HTTP or Lambda alike: Fluxline sends one
 * request, the executor answers one executor message (message.ts, the same schema a built-in's result
 * is held to). Both are published as JSON Schema in docs/executors/ so a team can write one in any
 * language from the schemas alone; the version is in the body so a later change can be told apart.
 */

/** The protocol an out-of-process executor speaks; a request of another version is not for it. */
export const REMOTE_EXECUTOR_PROTOCOL = 'fluxline.executor/v1';

/** Headers of an HTTP executor's request: Slack's own scheme (v0, timestamp, HMAC-SHA256), under our names. */
export const REMOTE_EXECUTOR_HEADERS = {
  signature: 'x-fluxline-signature',
  timestamp: 'x-fluxline-request-timestamp',
} as const;

function buildRequestSchema() {
  return z
    .strictObject({
      protocol: z.literal(REMOTE_EXECUTOR_PROTOCOL),
      /** The name of the `executors:` entry in config.yaml, i.e. the first word typed (`/flux runbooks …`). */
      executor: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/)),
      /** Fluxline's job id: the same on a redelivery of the same run, so an executor can tell a repeat. */
      requestId: z.string().check(z.minLength(1), z.maxLength(200)),
      /** The words after the executor's name, tokenized as every command is. */
      args: z.array(z.string()).check(z.maxLength(40)),
      /** The entry's `config` from config.yaml as written there (`{}` when it has none), in a list as Botkube passes bound configurations. */
      configs: z.array(z.unknown()),
      /** Who asked, as Slack names them. */
      requester: z.strictObject({ user: z.string(), name: z.optional(z.string()) }),
      /** The Slack channel id it was asked in. */
      channel: z.string(),
    })
    .check(
      z.meta({
        title: 'Fluxline executor request',
        description:
          'The body Fluxline POSTs to an HTTP executor (or the event of a Lambda executor). HTTP requests carry X-Fluxline-Request-Timestamp (unix seconds) and X-Fluxline-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" keyed by the shared secret>. Refuse a bad signature or a timestamp more than 300 s from your clock. Answer 200 with an executor-message (executor-message.schema.json).',
      }),
    );
}

/**
 * The request's schema, built on first use: the Slack ingress loads this module (through the executor
 * catalog) on every cold start and never needs it (DESIGN §2: a cold start is on the answer's path).
 */
export const executorRequestSchema: () => ReturnType<typeof buildRequestSchema> = onFirstUse(buildRequestSchema);

export type ExecutorRequest = z.infer<ReturnType<typeof buildRequestSchema>>;
