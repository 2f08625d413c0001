import * as z from '../validation';

/*
 * What an executor answers, whatever the chat platform: a list of blocks a renderer turns into Block Kit
 * (lib/adapters/slack render-executor-message.ts) or, later, another platform's format. Every string here
 * is executor output, i.e. outside text: the renderer escapes and masks it; an executor never writes mrkdwn.
 */

/** A button or menu option runs this command line, as typed after `/flux` (e.g. `kubectl get pods -n podinfo`). */
const commandLine = z.string().check(z.minLength(1), z.maxLength(500));
const label = z.string().check(z.minLength(1), z.maxLength(75));

export const executorBlockSchema = z.discriminatedUnion('type', [
  /** A heading line, shown bold. */
  z.strictObject({ type: z.literal('section'), text: z.string().check(z.maxLength(2_900)) }),
  /** Plain text, shown as written (no formatting is read from it). */
  z.strictObject({ type: z.literal('text'), text: z.string().check(z.maxLength(100_000)), style: z.optional(z.array(z.enum(['bold', 'italic']))) }),
  /** Preformatted output, shown in a code block (split or uploaded when long). */
  z.strictObject({ type: z.literal('code'), text: z.string().check(z.maxLength(1_000_000)) }),
  /** Rows under a header, shown as an aligned text table. */
  z.strictObject({ type: z.literal('table'), header: z.array(z.string()).check(z.minLength(1), z.maxLength(20)), rows: z.array(z.array(z.string())).check(z.maxLength(1_000)) }),
  /** Buttons, each running a command when clicked. */
  z.strictObject({ type: z.literal('buttons'), buttons: z.array(z.strictObject({ label, command: commandLine })).check(z.minLength(1), z.maxLength(10)) }),
  /** A select menu whose options each run a command. */
  z.strictObject({
    type: z.literal('select'),
    placeholder: label,
    // Slack caps an option value at 150 characters, and the value carries the command line as JSON.
    options: z.array(z.strictObject({ label, command: z.string().check(z.minLength(1), z.maxLength(100)) })).check(z.minLength(1), z.maxLength(100)),
  }),
]);

/** The result of `help()` and `execute()`; also what an out-of-process executor must answer (validated by this schema). */
export const executorMessageSchema = z.strictObject({
  blocks: z.array(executorBlockSchema).check(z.maxLength(50)),
});

export type ExecutorBlock = z.infer<typeof executorBlockSchema>;
export type ExecutorMessage = z.infer<typeof executorMessageSchema>;

/** Shorthands for built-in executors. */
export const message = (...blocks: ExecutorBlock[]): ExecutorMessage => ({ blocks });
