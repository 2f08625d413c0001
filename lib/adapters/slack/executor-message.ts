import type { KnownBlock } from '@slack/web-api';
import { encodeAction, encodeOptionValue } from '../../core/commands/actions';
import type { ExecutorMessage } from '../../core/executors/message';
import { maskSecrets } from '../../core/sanitise/mask-secrets';
import { ACTIONS } from './actions';
import { codeSections } from './code-sections';
import { BLOCK_KIT } from './limits';
import { escapeMrkdwn, truncate } from './mrkdwn';
import { textTable } from './text-table';

export interface RenderedExecutorMessage {
  /** The notification fallback: the message's text, plain. */
  text: string;
  blocks: KnownBlock[];
}

/**
 * Every string of an executor's message is outside text: masked (a token in a log line) and escaped (no
 * `<!channel>`, no link, no mention) here, in one place, whatever the executor is; the executor never
 * writes mrkdwn. Styles are applied around the escaped text, so they cannot be broken out of into a ping.
 */
const safe = (text: string) => escapeMrkdwn(maskSecrets(text));
const plain = (text: string) => maskSecrets(text);

function styled(text: string, style: readonly ('bold' | 'italic')[] = []): string {
  let out = safe(text);
  // mrkdwn styles do not span lines; style each line on its own.
  if (style.includes('bold')) out = out.split('\n').map((line) => (line.trim() ? `*${line}*` : line)).join('\n');
  if (style.includes('italic')) out = out.split('\n').map((line) => (line.trim() ? `_${line}_` : line)).join('\n');
  return out;
}

/** Executor message → Block Kit within Slack's limits: 50 blocks, 3,000 characters a section, ~10,000 in all. */
export function renderExecutorMessage(message: ExecutorMessage, footer?: string): RenderedExecutorMessage {
  const blocks: KnownBlock[] = [];
  const fallback: string[] = [];
  let cut = false;
  let used = 0;
  const room = () => BLOCK_KIT.blocksPerMessage - blocks.length - 2;
  const push = (block: KnownBlock, chars: number) => {
    if (room() <= 0 || used + chars > BLOCK_KIT.safeMessageChars) {
      cut = true;
      return;
    }
    blocks.push(block);
    used += chars;
  };
  const code = (text: string) => {
    const sections = codeSections(plain(text), { maxBlocks: Math.max(0, room()), maxChars: Math.max(0, BLOCK_KIT.safeMessageChars - used) });
    for (const block of sections.blocks) push(block, block.type === 'section' ? (block.text?.text.length ?? 0) : 0);
    if (!sections.complete) cut = true;
  };
  let actions = 0;
  for (const block of message.blocks) {
    switch (block.type) {
      case 'section': {
        const text = `*${truncate(safe(block.text), BLOCK_KIT.sectionText - 2)}*`;
        push({ type: 'section', text: { type: 'mrkdwn', text } }, text.length);
        fallback.push(block.text);
        break;
      }
      case 'text': {
        const text = truncate(styled(block.text, block.style), BLOCK_KIT.sectionText);
        push({ type: 'section', text: { type: 'mrkdwn', text } }, text.length);
        fallback.push(block.text);
        break;
      }
      case 'code':
        code(block.text);
        break;
      case 'table':
        code(textTable(block.header, block.rows, 80));
        break;
      case 'buttons': {
        const elements = block.buttons.map((button, i) => ({
          type: 'button' as const,
          action_id: `${ACTIONS.runCommand}:${actions}:${i}`,
          text: { type: 'plain_text' as const, text: truncate(plain(button.label), BLOCK_KIT.buttonText) },
          value: encodeAction({ type: 'run-command', command: button.command }),
        }));
        push({ type: 'actions', elements }, 0);
        actions++;
        break;
      }
      case 'select': {
        const options = block.options.map((option) => ({ text: { type: 'plain_text' as const, text: truncate(plain(option.label), BLOCK_KIT.buttonText) }, value: encodeOptionValue({ type: 'run-command', command: option.command }) }));
        push({ type: 'actions', elements: [{ type: 'static_select', action_id: `${ACTIONS.runCommand}:${actions}`, placeholder: { type: 'plain_text', text: truncate(plain(block.placeholder), 150) }, options }] }, 0);
        actions++;
        break;
      }
    }
  }
  if (cut) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'The answer was too long for one Slack message and was cut.' }] });
  if (footer) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: footer }] });
  const text = truncate(escapeMrkdwn(maskSecrets(fallback.join(' — ') || 'Executor answer')), 300);
  return { text, blocks };
}
