import { describe, expect, it } from 'vitest';
import { codeSections, type KnownBlock } from '../../lib/adapters/slack';

const SECTION_MAX = 3000;
/** What fits between "```\n" and "\n```" in one section. */
const BODY_MAX = SECTION_MAX - 8;

function sectionTexts(blocks: KnownBlock[]): string[] {
  return blocks.map((block) => (block.type === 'section' && block.text ? block.text.text : `<${block.type} block>`));
}

function bodyOf(section: string): string {
  expect(section.startsWith('```\n') && section.endsWith('\n```')).toBe(true);
  return section.slice(4, -4);
}

/** Undoes the escaping the spec asks for: zero-width spaces between backticks, then &lt; &gt; &amp;. */
function decode(body: string): string {
  return body.replace(/`\u200b/g, '`').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function reconstruct(blocks: KnownBlock[]): string {
  return decode(sectionTexts(blocks).map(bodyOf).join('\n'));
}

/** A small deterministic PRNG (mulberry32), so a failing case can be reproduced from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['a', 'Z', '0', ' ', '-', '+', ':', '`', '``', '```', '&', '<', '>', '&amp;', 'é', '🚀', '\t'];

function randomText(next: () => number, maxLineLength: number): string {
  const lines = Array.from({ length: Math.floor(next() * 120) }, () => {
    const length = Math.floor(next() * maxLineLength);
    let line = '';
    while (line.length < length) line += ALPHABET[Math.floor(next() * ALPHABET.length)] ?? '';
    return line;
  });
  return lines.join('\n');
}

describe('codeSections', () => {
  it.each([
    { name: 'a short diff', text: '- replicas: 1\n+ replicas: 2', sections: 1, complete: true },
    { name: 'one line exactly at the section limit', text: 'x'.repeat(BODY_MAX), sections: 1, complete: true },
    { name: 'one line a character past the limit', text: 'x'.repeat(BODY_MAX + 1), sections: 2, complete: true },
    { name: 'two lines that fill one section exactly', text: `${'a'.repeat(1000)}\n${'b'.repeat(BODY_MAX - 1001)}`, sections: 1, complete: true },
    { name: 'lines that need two sections', text: `${'a'.repeat(2000)}\n${'b'.repeat(2000)}`, sections: 2, complete: true },
    { name: 'a line far longer than a section', text: 'y'.repeat(7000), sections: 3, complete: true },
    { name: 'a diff past maxChars', text: Array.from({ length: 400 }, (_, i) => `+ line ${i} ${'z'.repeat(30)}`).join('\n'), sections: 3, complete: false },
  ])('splits $name', ({ text, sections, complete }) => {
    // Act
    const result = codeSections(text, { maxBlocks: 40 });

    // Assess
    expect(result.complete).toBe(complete);
    expect(result.blocks).toHaveLength(sections);
    for (const section of sectionTexts(result.blocks)) expect(section.length).toBeLessThanOrEqual(SECTION_MAX);
  });

  it('fills a section to exactly 3,000 characters, fences included', () => {
    const [section] = sectionTexts(codeSections('x'.repeat(BODY_MAX), { maxBlocks: 1 }).blocks);

    expect(section?.length).toBe(SECTION_MAX);
  });

  it('breaks only at line boundaries when every line fits', () => {
    // Prepare
    const lines = Array.from({ length: 300 }, (_, i) => `  line-${i}: ${'v'.repeat(i % 50)}`);

    // Act
    const { blocks } = codeSections(lines.join('\n'), { maxBlocks: 10, maxChars: 100_000 });

    // Assess
    for (const section of sectionTexts(blocks)) {
      for (const line of bodyOf(section).split('\n')) expect(lines).toContain(line);
    }
  });

  it('stops at maxBlocks and reports the text incomplete', () => {
    const result = codeSections(`${'a'.repeat(2500)}\n${'b'.repeat(2500)}\n${'c'.repeat(2500)}`, { maxBlocks: 2, maxChars: 100_000 });

    expect(result.complete).toBe(false);
    expect(sectionTexts(result.blocks).map((s) => bodyOf(s)[0])).toEqual(['a', 'b']);
  });

  it('keeps the total within maxChars (10,000 by default)', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `+ ${i}`).join('\n');

    const byDefault = codeSections(text, { maxBlocks: 50 });
    const small = codeSections(text, { maxBlocks: 50, maxChars: 500 });

    expect(byDefault.complete).toBe(true);
    expect(small.complete).toBe(false);
    expect(sectionTexts(small.blocks).join('').length).toBeLessThanOrEqual(500);
    expect(sectionTexts(codeSections('x'.repeat(30_000), { maxBlocks: 50 }).blocks).join('').length).toBeLessThanOrEqual(10_000);
  });

  it('escapes backticks so the text cannot close the fence early', () => {
    // Prepare
    const text = 'before\n```\n<!channel> & friends\n````\nafter';

    // Act
    const [section] = sectionTexts(codeSections(text, { maxBlocks: 5 }).blocks);

    // Assess
    const body = bodyOf(section ?? '');
    expect(body).not.toContain('```');
    expect(body).not.toContain('``');
    expect(body).toContain('&lt;!channel&gt; &amp; friends');
    expect(decode(body)).toBe(text);
  });

  it('never cuts an escaped character or an emoji in half when hard-splitting a line', () => {
    const ampersands = codeSections('&'.repeat(3000), { maxBlocks: 50, maxChars: 100_000 });
    const emoji = codeSections('🚀'.repeat(2000), { maxBlocks: 50, maxChars: 100_000 });

    for (const section of sectionTexts(ampersands.blocks)) expect(bodyOf(section)).toMatch(/^(&amp;)+$/);
    for (const section of sectionTexts(emoji.blocks)) expect(bodyOf(section)).toMatch(/^(🚀)+$/u);
    expect(sectionTexts(emoji.blocks).map(bodyOf).join('')).toBe('🚀'.repeat(2000));
  });

  it('returns no blocks for an empty text', () => {
    expect(codeSections('', { maxBlocks: 5 })).toEqual({ blocks: [], complete: true });
  });

  it('keeps every section within 3,000 characters and reconstructs the text when complete (200 random texts)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      // Prepare
      const text = randomText(random(seed), 400);

      // Act
      const result = codeSections(text, { maxBlocks: 50, maxChars: 200_000 });

      // Assess
      const sections = sectionTexts(result.blocks);
      expect(sections.every((s) => s.length <= SECTION_MAX), `seed ${seed}`).toBe(true);
      expect(sections.every((s) => !bodyOf(s).includes('```')), `seed ${seed}`).toBe(true);
      expect(result.complete, `seed ${seed}`).toBe(true);
      expect(reconstruct(result.blocks) === text, `seed ${seed} reconstructs`).toBe(true);
    }
  });

  it('loses nothing but line breaks when it must hard-split long lines (50 random texts)', () => {
    for (let seed = 1000; seed <= 1050; seed++) {
      const text = randomText(random(seed), 9000);

      const result = codeSections(text, { maxBlocks: 10_000, maxChars: 10_000_000 });

      const sections = sectionTexts(result.blocks);
      expect(sections.every((s) => s.length <= SECTION_MAX), `seed ${seed}`).toBe(true);
      expect(result.complete, `seed ${seed}`).toBe(true);
      expect(reconstruct(result.blocks).replace(/\n/g, '') === text.replace(/\n/g, ''), `seed ${seed} reconstructs`).toBe(true);
    }
  });
});
