import type { KnownBlock } from '@slack/web-api';
import { maskSecrets } from '../../core/sanitise';
import type { SlackPort } from './port';

/**
 * Broadcasts and user-group pings (`<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>`) are the
 * control sequences Fluxline never writes itself; the only `<!…>` it builds is `<!date^…>`.
 */
const BROADCAST = /<!(channel|here|everyone|subteam\^)/g;

/** mrkdwn as it leaves: secrets masked, and a broadcast that escaped its builder shown instead of sent. */
export function guardMrkdwn(text: string): string {
  return maskSecrets(text).replace(BROADCAST, '&lt;!$1');
}

/**
 * Every string of a Block Kit tree that Slack shows: mrkdwn and plain_text objects (`text`), alt texts
 * and placeholders. Button `value`s and `url`s are ids and links we built, and are left alone.
 */
function guardBlocks(blocks: KnownBlock[] | undefined): KnownBlock[] | undefined {
  if (!blocks) return blocks;
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key === 'text' && typeof value === 'string') out[key] = record.type === 'mrkdwn' ? guardMrkdwn(value) : maskSecrets(value);
      else if (key === 'alt_text' && typeof value === 'string') out[key] = maskSecrets(value);
      else out[key] = walk(value);
    }
    return out;
  };
  return walk(blocks) as KnownBlock[];
}

/**
 * The last line of defence of DESIGN §3 "one sanitiser per destination and one secret masker": whatever a
 * message builder forgot, nothing leaves for Slack with a token in it or a broadcast that pings a channel.
 * Builders still escape outside text themselves (`escapeMrkdwn`, `inlineCode`, `codeSections`); this
 * guard cannot tell our `<@U…>` and links from an attacker's, so it defuses only what we never send.
 */
export function guardSlack(port: SlackPort): SlackPort {
  return {
    postMessage: (m) => port.postMessage({ ...m, text: guardMrkdwn(m.text), ...(m.blocks ? { blocks: guardBlocks(m.blocks) } : {}) }),
    findPosted: (q) => port.findPosted(q),
    updateMessage: (m) => port.updateMessage({ ...m, text: guardMrkdwn(m.text), ...(m.blocks ? { blocks: guardBlocks(m.blocks) } : {}) }),
    postEphemeral: (m) => port.postEphemeral({ ...m, text: guardMrkdwn(m.text), ...(m.blocks ? { blocks: guardBlocks(m.blocks) } : {}) }),
    uploadFile: (f) =>
      port.uploadFile({
        ...f,
        filename: maskSecrets(f.filename),
        title: maskSecrets(f.title),
        content: maskSecrets(f.content),
        ...(f.initialComment !== undefined ? { initialComment: guardMrkdwn(f.initialComment) } : {}),
      }),
    respond: (r) => port.respond({ ...r, text: guardMrkdwn(r.text), ...(r.blocks ? { blocks: guardBlocks(r.blocks) } : {}) }),
  };
}
