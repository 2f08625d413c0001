import type { KnownBlock } from '@slack/web-api';

/** mrkdwn as a terminal shows it: `<url|label>` becomes `label (url)`, mentions become `@U…`, entities are decoded. */
export function plainMrkdwn(text: string): string {
  return text
    .replace(/<([^<>|]+)\|([^<>]*)>/g, (_, target: string, label: string) => (target.startsWith('#') ? `#${label}` : target.startsWith('@') ? `@${label}` : `${label} (${target})`))
    .replace(/<([@#])([A-Z0-9]+)>/g, '$1$2')
    .replace(/<!([a-z]+)[^>]*>/g, '@$1')
    .replace(/<([^<>]+)>/g, '$1')
    .replace(/\u200b/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface TextLike {
  type?: string;
  text?: string;
  alt_text?: string;
  url?: string;
  placeholder?: { text?: string };
}

/** One element (text, image, button, select) as a short string. */
function element(el: TextLike): string {
  if (el.type === 'button') return el.url ? `[${el.text ?? ''} → ${el.url}]` : `[${el.text ?? ''}]`;
  if (el.type === 'image') return `[image: ${el.alt_text ?? ''}]`;
  if (el.type === 'mrkdwn' || el.type === 'plain_text') return plainMrkdwn(el.text ?? '');
  if (el.placeholder?.text) return `[▾ ${el.placeholder.text}]`;
  return `[${el.type ?? 'element'}]`;
}

/** A button's label lives in `text.text`; flatten it so `element` can print any element the same way. */
function flatten(el: unknown): TextLike {
  if (typeof el !== 'object' || el === null) return {};
  const record = el as Record<string, unknown> & { text?: unknown };
  const text = typeof record.text === 'object' && record.text !== null ? (record.text as { text?: string }).text : (record.text as string | undefined);
  return { ...(record as TextLike), ...(text !== undefined ? { text } : {}) };
}

/** Block Kit as plain text lines: what `npm start` prints instead of posting to Slack. */
export function renderBlocks(blocks: readonly KnownBlock[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'section':
        if (block.text) lines.push(...plainMrkdwn(block.text.text).split('\n'));
        for (const field of block.fields ?? []) lines.push(plainMrkdwn(field.text));
        if (block.accessory) lines.push(element(flatten(block.accessory)));
        break;
      case 'context':
        lines.push(block.elements.map((el) => element(flatten(el))).join(' · '));
        break;
      case 'actions':
        lines.push(block.elements.map((el) => element(flatten(el))).join('  '));
        break;
      case 'header':
        lines.push(`# ${block.text.text}`);
        break;
      case 'divider':
        lines.push('─'.repeat(40));
        break;
      case 'markdown':
        lines.push(...block.text.split('\n'));
        break;
      default:
        lines.push(`(${block.type} block)`);
    }
  }
  return lines;
}
