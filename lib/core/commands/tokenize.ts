import { CommandError } from './errors';
import { echo } from './echo';

/**
 * Splits slash-command text into words. Undoes what Slack does to typed text: some clients turn `--`
 * into an em dash, and with "escape links" on, URLs arrive as `<https://…|label>`. Shell metacharacters
 * are refused outright: nothing here reaches a shell, but a command that contains them was not typed
 * in good faith, and refusing is clearer than guessing.
 */
export function tokenize(text: string): string[] {
  const words = text
    .replace(/[\u2014\u2013]/g, (dash) => (dash === '\u2014' ? '--' : '-'))
    .replace(/[\u201c\u201d]/g, '"')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/^<([^>|]+)(\|[^>]*)?>$/, '$1'));
  const unsafe = words.find((word) => /[;&|`$<>(){}\\'"*?!]/.test(word));
  if (unsafe !== undefined) throw new CommandError(`${echo(unsafe)} contains characters Fluxline does not accept in commands (shell metacharacters or quotes). Try \`/flux help\`.`);
  return words;
}

export interface ParsedFlags {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value`, `-n value`; `boolean` flags take no value. */
export function parseFlags(words: string[], spec: { valued: Record<string, string>; boolean?: string[] }): ParsedFlags {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    if (!word.startsWith('-') || /^-\d/.test(word)) {
      positional.push(word);
      continue;
    }
    const [raw = '', inline] = word.split(/=(.*)/s, 2);
    const name = spec.valued[raw] ?? (spec.boolean?.includes(raw) ? raw : undefined);
    if (!name) throw new CommandError(`Unknown option ${echo(raw)}. Allowed here: ${[...Object.keys(spec.valued), ...(spec.boolean ?? [])].map((f) => `\`${f}\``).join(', ') || 'none'}.`);
    if (spec.boolean?.includes(raw)) {
      flags.set(name, true);
      continue;
    }
    const value = inline ?? words[++i];
    if (value === undefined || value === '' || value.startsWith('-')) throw new CommandError(`Option ${echo(raw)} needs a value.`);
    flags.set(name, value);
  }
  return { positional, flags };
}
