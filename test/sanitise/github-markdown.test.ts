import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeGithubText, githubCodeFence, githubCodeSpan } from '../../lib/core/sanitise';

/** Strings rich in what GitHub markdown reacts to: mentions, references, HTML, fences. */
const hostile = fc.string({ unit: fc.oneof(fc.constantFrom('@', '#', '`', '<', '>', '&', '/', '\n', ' ', '\\', '*', '_', '[', ']', '~'), fc.constantFrom('a', 'Z', '1', '-', 'details')), maxLength: 80 });
const anyText = fc.oneof(fc.string(), hostile);

describe('GitHub markdown sanitiser', () => {
  it('leaves no @login, #number or HTML tag in escaped text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeGithubText(text);
        expect(escaped).not.toMatch(/[@#][A-Za-z0-9]/);
        expect(escaped).not.toContain('<');
      }),
    );
  });

  it('names a Slack user without pinging the GitHub account of the same login', () => {
    expect(escapeGithubText('Slack user alice (U0ADMIN) asks @alice about #12')).toBe('Slack user alice (U0ADMIN) asks @\u200balice about #\u200b12');
  });

  it('opens a fence that no line of the content can close early', () => {
    fc.assert(
      fc.property(anyText, (content) => {
        // Act
        const { open, close } = githubCodeFence(content, 'diff');
        const fence = open.slice(0, open.indexOf('diff'));

        // Assess: CommonMark §4.5, a closing fence is up to 3 spaces, at least as many backticks, then blanks
        const closing = new RegExp(`^ {0,3}\`{${fence.length},}[ \\t]*$`);
        expect(content.split('\n').some((line) => closing.test(line))).toBe(false);
        expect(closing.test(close.slice(1))).toBe(true);
        expect(fence.length).toBeGreaterThanOrEqual(3);
      }),
    );
  });

  it('keeps any text inside one inline code span', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const span = githubCodeSpan(text);
        const delimiter = /^`+/.exec(span)?.[0] ?? '';
        const inner = span.slice(delimiter.length, span.length - delimiter.length);
        // No run of exactly the delimiter's length inside: the span ends where we end it.
        expect(Array.from(inner.matchAll(/`+/g), (run) => run[0].length)).not.toContain(delimiter.length);
        expect(span.endsWith(delimiter)).toBe(true);
        expect(inner).not.toContain('\n');
      }),
    );
  });
});
