import * as z from '../validation';
import type { Executor } from './contract';
import { message } from './message';
import { ECHO_META } from './builtin-meta';

export const echoConfigSchema = z.strictObject({
  /** How the echoed words are shown. */
  formatOptions: z._default(z.array(z.enum(['bold', 'italic'])), []),
});
export type EchoConfig = z.infer<typeof echoConfigSchema>;

/**
 * The classic first executor: answers with its arguments. Its formatting is the union of the channel's
 * bound configurations. Needs nothing outside, so the Slack consumer runs it without a job.
 */
export const echoExecutor: Executor<EchoConfig> = {
  ...ECHO_META,
  configSchema: echoConfigSchema,
  help: () => message({ type: 'section', text: 'echo WORDS…' }, { type: 'text', text: 'Answers with WORDS, e.g. `/flux echo hello`.' }),
  execute: ({ args, configs }) => {
    const style = [...new Set(configs.flatMap((config) => config.formatOptions))];
    const text = args.join(' ');
    return Promise.resolve(message({ type: 'text', text: text || '(nothing to echo)', ...(style.length ? { style } : {}) }));
  },
};
