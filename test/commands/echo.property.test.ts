import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommandError, helpText, parseCommand } from '../../lib/core/commands';

/** What a user could type to make an answer ping, link or break out of its code span. */
const HOSTILE = ['<!here>', '<!channel>', '<@U0ADMIN>', '<https://evil.example|docs>', '&lt;', '`', '``', '>', '<', '&'];

/** The answer Slack shows for `/flux <text>`: a refusal, or help for an unknown topic. */
function answerTo(text: string): string {
  try {
    const command = parseCommand(text);
    return command.kind === 'help' ? helpText(command.topic) : '';
  } catch (err) {
    if (err instanceof CommandError) return err.message;
    throw err;
  }
}

/** A typed word made of a hostile piece and some ordinary text, in a place that is echoed back. */
const typed = fc.tuple(fc.constantFrom(...HOSTILE), fc.stringMatching(/^[a-z0-9-]{0,8}$/), fc.constantFrom(...HOSTILE)).map(([a, b, c]) => `${a}${b}${c}`);
const forms = [
  (word: string) => `get ks ${word}`,
  (word: string) => `get ks apps -n ${word}`,
  (word: string) => `get ks apps --cluster ${word}`,
  (word: string) => `get ks apps ${word}`,
  (word: string) => `get ks apps --context=${word}`,
  (word: string) => `list ${word}`,
  (word: string) => `diff ks apps --github-ref ${word}`,
  (word: string) => `diff ks apps --github-ref https://x/${word}`,
  (word: string) => `help ${word}`,
  (word: string) => `get ${word}`,
  (word: string) => `${word}`,
];

// DESIGN §3 "Everything that came from outside is hostile": a refusal quotes what was typed as inline
// code with Slack's control characters escaped, so it can neither ping, nor link, nor end its code span.
describe('answers that echo what was typed', () => {
  it.each(forms.map((form, i) => [i, form] as const))('quote it escaped and as inline code (form %i)', (_i, form) => {
    fc.assert(
      fc.property(typed, (word) => {
        const answer = answerTo(form(word));
        expect(answer).not.toMatch(/<[!@#]|<https?:/);
        // Every `<`, `>` and `&` the user typed arrives as an entity; our own text has none outside usage lines.
        for (const piece of ['<!here>', '<!channel>', '<@U0ADMIN>', '<https://evil.example|docs>']) expect(answer).not.toContain(piece);
        // Backticks pair up: an echoed backtick cannot open or close a code span.
        expect((answer.match(/`/g) ?? []).length % 2).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
