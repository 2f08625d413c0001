import { describe, expect, it } from 'vitest';
import { encodeAction } from '../../lib/core/commands';
import { parseConfig } from '../../lib/core/config';
import type { PostEphemeral, PostMessage, SlackPort } from '../../lib/adapters/slack';
import { handleBlockActions, parseInteraction, type BlockActionsDeps } from '../../lib/flows/interactions';
import { blockActionsBody } from '../helpers/slack-requests';
import { freshStore } from '../helpers/store';

const config = parseConfig(
  `
slack:
  channel: C0FLUX
  channels:
    C0STAGE: { clusters: [stage], executors: [echo-bold] }
    C0PROD: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
  echo-bold: { use: echo, config: { formatOptions: [bold] } }
`,
  'config.yaml',
);

async function click(command: string, channel: string) {
  const posts: PostMessage[] = [];
  const ephemerals: PostEphemeral[] = [];
  const slack = { postMessage: (m: PostMessage) => (posts.push(m), Promise.resolve({ channel: m.channel, ts: '1.2' })), postEphemeral: (m: PostEphemeral) => (ephemerals.push(m), Promise.resolve()) } as unknown as SlackPort;
  const deps = { config, store: await freshStore(), queue: { send: () => Promise.reject(new Error('no job expected')) }, slack } as unknown as BlockActionsDeps;
  const interaction = parseInteraction(blockActionsBody({ actionId: 'fluxline.run-command:0:0', value: encodeAction({ type: 'run-command', command }), channel, user: 'U0DEV', messageTs: '1700000000.000100' }));
  if (interaction.type !== 'block_actions') throw new Error('not a click');
  await handleBlockActions(deps, interaction.payload);
  return { posts, ephemerals };
}

describe('buttons of an executor answer', () => {
  it('run their command as if typed in the channel', async () => {
    const { posts } = await click('echo again', 'C0STAGE');

    expect(posts).toEqual([expect.objectContaining({ channel: 'C0STAGE', text: 'again', blocks: expect.arrayContaining([{ type: 'section', text: { type: 'mrkdwn', text: '*again*' } }]) })]);
  });

  it('are held to the channel binding like a typed command', async () => {
    const { posts, ephemerals } = await click('echo again', 'C0PROD');

    expect(posts).toEqual([]);
    expect(ephemerals[0]?.text).toContain('`echo` is not available in this channel');
  });

  it('never run a built-in command, whatever a crafted value says', async () => {
    const { posts, ephemerals } = await click('reconcile ks apps --cluster stage', 'C0STAGE');

    expect(posts).toEqual([]);
    expect(ephemerals[0]?.text).toBe('Buttons of an executor run executors only; type the command to run it.');
  });
});
