import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeSections, escapeMrkdwn, guardMrkdwn, inlineCode, mrkdwnLink } from '../../lib/adapters/slack';

/** What Slack shows for escaped text: the three entities decoded. */
const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Strings rich in Slack's control sequences. */
const hostile = fc.string({ unit: fc.oneof(fc.constantFrom('<', '>', '&', '!', '@', '#', '|', '`', '\n', 'here', 'channel', 'http://x', 'U0ADMIN', 'amp;', 'lt;'), fc.char()), maxLength: 80 });
const anyText = fc.oneof(fc.string(), hostile);
const CONTROL = /<[!@#]|<http/;

describe('Slack mrkdwn sanitiser', () => {
  it('leaves no control sequence in escaped text, and Slack shows the text as it was', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeMrkdwn(text);
        expect(escaped).not.toMatch(CONTROL);
        expect(escaped).not.toMatch(/[<>]/);
        expect(unescape(escaped)).toBe(text);
      }),
    );
  });

  it('keeps our own link and only our own: the label cannot open another', () => {
    fc.assert(
      fc.property(anyText, (label) => {
        const link = mrkdwnLink('https://github.com/acme/fleet/pull/1', label);
        expect(link.startsWith('<https://github.com/acme/fleet/pull/1|')).toBe(true);
        expect(link.slice(1, -1)).not.toMatch(/[<>]/);
      }),
    );
  });

  it('escapes inline code and code blocks, where Slack still reads <!here>', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(inlineCode(text)).not.toMatch(CONTROL);
        const { blocks } = codeSections(text, { maxBlocks: 50, maxChars: 1_000_000 });
        for (const block of blocks) expect(JSON.stringify(block)).not.toMatch(CONTROL);
      }),
    );
  });

  it('defuses broadcasts that escaped a builder and keeps the mentions and links we build', () => {
    // Act
    const guarded = guardMrkdwn('<!channel> <!here> <!everyone> <!subteam^S1> by <@U0ADMIN> in <https://x.example|PR> at <!date^1^{date}|now>');

    // Assess
    expect(guarded).toBe('&lt;!channel> &lt;!here> &lt;!everyone> &lt;!subteam^S1> by <@U0ADMIN> in <https://x.example|PR> at <!date^1^{date}|now>');
  });
});
