import { BUILTIN_METAS, builtinExecutorMeta, type HelpEntry } from '../executors/builtin-meta';
import { echo } from './echo';

function describe(entry: HelpEntry): string {
  return [`*\`${entry.usage}\`*: ${entry.summary}`, ...entry.examples.map((e) => `    e.g. \`${e}\``)].join('\n');
}

/** The forms of the built-ins, each once (the flux CLI verbs share theirs), help's own last. */
const formsOf = (metas: typeof BUILTIN_METAS) => [...new Set(metas.flatMap((meta) => (meta.name === 'help' ? [] : meta.forms)))];

/** The grammar with examples, from the built-ins' registry; a topic narrows it to that built-in's forms. */
export function helpText(topic?: string): string {
  const asked = topic ? builtinExecutorMeta(topic) : undefined;
  const chosen = formsOf(asked ? [asked] : []);
  return [
    topic && chosen.length === 0 ? `No help on ${echo(topic)}; here is everything:` : '*Fluxline* — Flux from Slack',
    ...(chosen.length ? chosen : formsOf(BUILTIN_METAS)).map(describe),
    ...(builtinExecutorMeta('help')?.forms ?? []).map(describe),
  ].join('\n');
}
