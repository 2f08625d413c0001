import type { KnownBlock } from '@slack/web-api';
import { logger } from '../../core/log';
import type { SlackPort } from './port';
import { maskSecrets } from '../../core/sanitise';
import { plainMrkdwn, renderBlocks } from './render-blocks';

export interface ConsoleSlackOptions {
  /** Where messages are printed. @default process.stdout */
  out?: { write(chunk: string): unknown };
  /** For tests. */
  now?: () => number;
}

/** Lines of an uploaded file shown before "… N more lines". */
const FILE_PREVIEW_LINES = 20;

/** Slack-shaped timestamps (`<seconds>.<6 digits>`), strictly increasing so each message gets its own. */
export function slackTsClock(now: () => number): () => string {
  let last = 0;
  return () => {
    const micros = Math.max(Math.floor(now()) * 1000, last + 1);
    last = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  };
}

function body(text: string, blocks: readonly KnownBlock[] | undefined): string[] {
  return blocks && blocks.length > 0 ? renderBlocks(blocks) : plainMrkdwn(text).split('\n');
}

/**
 * Slack for local development without a token (`npm start`): each call is printed readably to stdout and
 * answered like Slack would, with a fresh ts. Printing is best effort and never throws — a local run must
 * not fail because a terminal closed.
 */
export function createConsoleSlack(options: ConsoleSlackOptions = {}): SlackPort {
  const out = options.out ?? process.stdout;
  const nextTs = slackTsClock(options.now ?? Date.now);

  function print(heading: string, lines: () => string[]): void {
    try {
      const text = [`[slack] ${heading}`, ...lines().map((line) => `  ${line}`), ''].join('\n');
      out.write(maskSecrets(text));
    } catch (err) {
      logger.warn('could not print a Slack message to the console', { heading, error: err as Error });
    }
  }

  const where = (channel: string, threadTs?: string) => `#${channel}${threadTs ? ` (thread ${threadTs})` : ''}`;

  return {
    postMessage({ channel, text, blocks, threadTs }) {
      const ts = nextTs();
      print(`chat.postMessage → ${where(channel, threadTs)} ts=${ts}`, () => body(text, blocks));
      return Promise.resolve({ channel, ts });
    },
    // Printing cannot lose an answer, so no post of the console is ever to be found again.
    findPosted: () => Promise.resolve(undefined),
    updateMessage({ channel, ts, text, blocks }) {
      print(`chat.update → #${channel} ts=${ts}`, () => body(text, blocks));
      return Promise.resolve({ channel, ts });
    },
    postEphemeral({ channel, user, text, threadTs, blocks }) {
      print(`chat.postEphemeral → ${where(channel, threadTs)}, only @${user} sees it`, () => body(text, blocks));
      return Promise.resolve();
    },
    uploadFile({ channel, threadTs, filename, title, content, initialComment }) {
      print(`files.uploadV2 → ${where(channel, threadTs)}: ${filename} "${title}" (${Buffer.byteLength(content).toLocaleString('en')} bytes)`, () => {
        const lines = content.split('\n');
        const preview = lines.slice(0, FILE_PREVIEW_LINES).map((line) => `│ ${line}`);
        if (lines.length > FILE_PREVIEW_LINES) preview.push(`… ${lines.length - FILE_PREVIEW_LINES} more lines`);
        return [...(initialComment ? plainMrkdwn(initialComment).split('\n') : []), ...preview];
      });
      return Promise.resolve();
    },
    respond({ channel, user, threadTs, responseType, text, blocks }) {
      const audience = responseType === 'in_channel' ? 'everyone in the channel' : `only @${user}`;
      print(`response_url → ${where(channel, threadTs)}, ${audience} sees it`, () => body(text, blocks));
      return Promise.resolve();
    },
  };
}
