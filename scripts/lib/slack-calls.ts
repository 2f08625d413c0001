import { plainMrkdwn, renderBlocks, type KnownBlock } from '../../lib/adapters/slack';
import { maskSecrets } from '../../lib/core/sanitise';

/**
 * `npm start`'s Slack stand-in (the fake Slack of test/fakes/slack/index.ts) prints each call it served the way
 * lib/adapters/slack/console-slack.ts prints without one: `[slack] <method> → #channel …`, then the message as
 * text lines. The real WebClient path runs; this shows what Slack would display.
 */

export interface ServedCall {
  method: string;
  /** The request's parameters as the fake parsed them (form fields are strings, blocks a JSON string). */
  params: Record<string, unknown>;
  /** The fake's `ok: true` answer. */
  answer: Record<string, unknown>;
}

/** Lines of an uploaded file shown before "… N more lines", as console-slack shows them. */
const FILE_PREVIEW_LINES = 20;

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

function blocksOf(params: Record<string, unknown>): KnownBlock[] | undefined {
  const raw = params.blocks;
  try {
    const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
    return Array.isArray(value) && value.length > 0 ? (value as KnownBlock[]) : undefined;
  } catch {
    return undefined;
  }
}

function body(params: Record<string, unknown>): string[] {
  const blocks = blocksOf(params);
  return blocks ? renderBlocks(blocks) : plainMrkdwn(str(params.text) ?? '').split('\n');
}

const where = (channel: string | undefined, threadTs: string | undefined) => `#${channel ?? '?'}${threadTs ? ` (thread ${threadTs})` : ''}`;

/**
 * The text to print for one served call, secrets redacted; undefined for calls a user would not see
 * (auth.test, the steps of an upload before it completes). `fileContent` finds an uploaded file's bytes.
 */
export function describeSlackCall({ method, params, answer }: ServedCall, fileContent: (id: string) => string | undefined = () => undefined): string | undefined {
  let heading: string;
  let lines: string[];
  switch (method) {
    case 'chat.postMessage':
      heading = `chat.postMessage → ${where(str(params.channel), str(params.thread_ts))} ts=${str(answer.ts) ?? '?'}`;
      lines = body(params);
      break;
    case 'chat.update':
      heading = `chat.update → #${str(params.channel) ?? '?'} ts=${str(params.ts) ?? '?'}`;
      lines = body(params);
      break;
    case 'response_url':
      heading = `response_url → ${str(params.response_type) === 'in_channel' ? 'everyone in the channel sees it' : 'only the user who asked sees it'}`;
      lines = body(params);
      break;
    case 'chat.postEphemeral':
      heading = `chat.postEphemeral → ${where(str(params.channel), str(params.thread_ts))}, only @${str(params.user) ?? '?'} sees it`;
      lines = body(params);
      break;
    case 'files.completeUploadExternal': {
      const files = Array.isArray(answer.files) ? (answer.files as Record<string, unknown>[]) : [];
      const file = files[0] ?? {};
      const content = fileContent(str(file.id) ?? '') ?? '';
      heading = `files.uploadV2 → ${where(str(params.channel_id), str(params.thread_ts))}: ${str(file.name) ?? '?'} "${str(file.title) ?? ''}" (${Buffer.byteLength(content).toLocaleString('en')} bytes)`;
      const all = content.split('\n');
      const preview = all.slice(0, FILE_PREVIEW_LINES).map((line) => `│ ${line}`);
      if (all.length > FILE_PREVIEW_LINES) preview.push(`… ${all.length - FILE_PREVIEW_LINES} more lines`);
      const comment = str(params.initial_comment);
      lines = [...(comment ? plainMrkdwn(comment).split('\n') : []), ...preview];
      break;
    }
    default:
      return undefined;
  }
  return maskSecrets([`[slack] ${heading}`, ...lines.map((line) => `  ${line}`), ''].join('\n'));
}
