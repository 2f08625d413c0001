import { fail, isRecord, structured, type Answer, type Params } from './shared';

/**
 * Block Kit validation as Slack does it for chat.postMessage, chat.update and chat.postEphemeral: block
 * types, the limits of each block and element, unique block and action ids, and the total text of a
 * message, with Slack's error codes and its messages carrying a JSON pointer to the offending field.
 */

/** Block Kit limits as Slack enforces them (https://docs.slack.dev/reference/block-kit/blocks). */
const LIMITS = { blocks: 50, sectionText: 3000, field: 2000, fields: 10, contextElements: 10, actionsElements: 25, header: 150, markdown: 12_000, buttonText: 75, buttonValue: 2000, buttonUrl: 3000, id: 255 };
/** Observed, not documented: past ~13,200 characters of block text Slack answers msg_blocks_too_long (slackapi/bolt-js#2509). */
const MESSAGE_BLOCK_CHARS = 13_000;
const BLOCK_TYPES = new Set(['section', 'context', 'actions', 'divider', 'header', 'image', 'rich_text', 'markdown', 'input', 'file', 'video', 'table']);

/** Every string under a `text` key: what Slack counts towards msg_blocks_too_long. */
function textChars(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textChars(item), 0);
  if (!isRecord(value)) return 0;
  return Object.entries(value).reduce((sum, [key, item]) => sum + (key === 'text' && typeof item === 'string' ? item.length : textChars(item)), 0);
}

/** Validates blocks like Slack: errors read as Slack's do, with a JSON pointer to the offending field. */
function validateBlocks(blocks: unknown[]): string[] {
  const errors: string[] = [];
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  const length = (value: unknown, max: number, at: string, min = 1) => {
    if (typeof value !== 'string') errors.push(`must be a string [json-pointer:${at}]`);
    else if (value.length < min) errors.push(`must be more than ${min - 1} characters [json-pointer:${at}]`);
    else if (value.length > max) errors.push(`must be less than ${max + 1} characters [json-pointer:${at}]`);
  };
  const textObject = (value: unknown, max: number, at: string, plainOnly = false) => {
    if (!isRecord(value)) return errors.push(`must be a text object [json-pointer:${at}]`);
    if (value.type !== 'plain_text' && (plainOnly || value.type !== 'mrkdwn')) errors.push(`must be ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'} [json-pointer:${at}/type]`);
    length(value.text, max, `${at}/text`);
  };
  const element = (value: unknown, at: string) => {
    if (!isRecord(value) || typeof value.type !== 'string') return errors.push(`must be an element object [json-pointer:${at}]`);
    if (value.action_id !== undefined) {
      length(value.action_id, LIMITS.id, `${at}/action_id`);
      if (typeof value.action_id === 'string') {
        if (actionIds.has(value.action_id)) errors.push(`action_id must be unique within a message, "${value.action_id}" is repeated [json-pointer:${at}/action_id]`);
        actionIds.add(value.action_id);
      }
    }
    if (value.type !== 'button') return;
    textObject(value.text, LIMITS.buttonText, `${at}/text`, true);
    if (value.value !== undefined) length(value.value, LIMITS.buttonValue, `${at}/value`);
    if (value.url !== undefined) length(value.url, LIMITS.buttonUrl, `${at}/url`);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') errors.push(`must be primary or danger [json-pointer:${at}/style]`);
  };
  const list = (value: unknown, min: number, max: number, at: string): unknown[] => {
    if (!Array.isArray(value)) return (errors.push(`must be an array [json-pointer:${at}]`), []);
    if (value.length < min) errors.push(`must provide at least ${min} items [json-pointer:${at}]`);
    if (value.length > max) errors.push(`no more than ${max} items allowed [json-pointer:${at}]`);
    return value;
  };

  if (blocks.length > LIMITS.blocks) errors.push(`no more than ${LIMITS.blocks} items allowed [json-pointer:/blocks]`);
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isRecord(block) || typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) return errors.push(`unsupported block type [json-pointer:${at}/type]`);
    if (block.block_id !== undefined) {
      length(block.block_id, LIMITS.id, `${at}/block_id`);
      if (typeof block.block_id === 'string' && blockIds.has(block.block_id)) errors.push(`block_id must be unique within a message [json-pointer:${at}/block_id]`);
      if (typeof block.block_id === 'string') blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        if (block.text === undefined && block.fields === undefined) errors.push(`must provide either text or fields [json-pointer:${at}]`);
        if (block.text !== undefined) textObject(block.text, LIMITS.sectionText, `${at}/text`);
        if (block.fields !== undefined) list(block.fields, 1, LIMITS.fields, `${at}/fields`).forEach((field, j) => textObject(field, LIMITS.field, `${at}/fields/${j}`));
        if (block.accessory !== undefined) element(block.accessory, `${at}/accessory`);
        break;
      case 'context':
        list(block.elements, 1, LIMITS.contextElements, `${at}/elements`).forEach((el, j) => {
          if (isRecord(el) && el.type === 'image') return;
          textObject(el, LIMITS.sectionText, `${at}/elements/${j}`);
        });
        break;
      case 'actions':
        list(block.elements, 1, LIMITS.actionsElements, `${at}/elements`).forEach((el, j) => element(el, `${at}/elements/${j}`));
        break;
      case 'header':
        textObject(block.text, LIMITS.header, `${at}/text`, true);
        break;
      case 'markdown':
        length(block.text, LIMITS.markdown, `${at}/text`);
        break;
    }
  });
  return errors;
}

/** Reads `blocks` like Slack: `invalid_blocks_format` when it is not a JSON array, `invalid_blocks` when it breaks a rule. */
export function readBlocks(params: Params): { blocks?: unknown[]; present: boolean; problem?: Answer } {
  const parsed = structured(params, 'blocks');
  if (parsed.malformed || (parsed.value !== undefined && !Array.isArray(parsed.value))) return { present: true, problem: fail('invalid_blocks_format') };
  if (parsed.value === undefined) return { present: params.blocks !== undefined };
  const blocks = parsed.value as unknown[];
  const errors = validateBlocks(blocks);
  if (errors.length > 0) return { present: true, problem: fail('invalid_blocks', { errors, response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) } }) };
  if (textChars(blocks) > MESSAGE_BLOCK_CHARS) return { present: true, problem: fail('msg_blocks_too_long') };
  return { present: true, blocks };
}
