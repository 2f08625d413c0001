import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import { echoExecutor, executorMessageSchema } from '../../lib/core/executors';
import { renderExecutorMessage } from '../../lib/adapters/slack';
import { handleSlashCommand, parseSlashCommand, type SlashCommandDeps } from '../../lib/flows/interactions';
import { slackExecutors } from '../../lib/flows/interactions';
import { slashCommandBody } from '../helpers/slack-requests';
import { freshStore } from '../helpers/store';

const config = parseConfig(
  `
slack:
  channel: C0FLUX
  channels:
    C0STAGE: { clusters: [stage], executors: [echo-bold, echo-italic] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
  echo-bold:   { use: echo, config: { formatOptions: [bold] } }
  echo-italic: { use: echo, config: { formatOptions: [italic] } }
`,
  'config.yaml',
);

describe('the echo executor', () => {
  it('echoes its arguments, formatted by the union of the bound configurations', async () => {
    const answer = await echoExecutor.execute({ args: ['hello', 'world'], configs: [{ formatOptions: ['bold'] }, { formatOptions: ['italic', 'bold'] }], requester: 'U0DEV', channel: 'C0STAGE' });

    expect(executorMessageSchema.parse(answer)).toEqual({ blocks: [{ type: 'text', text: 'hello world', style: ['bold', 'italic'] }] });
    expect(renderExecutorMessage(answer).blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '_*hello world*_' } }]);
  });

  it('answers /flux echo from the Slack consumer, in the channel, without a job', async () => {
    // Prepare
    const store = await freshStore();
    const base = { config, store, queue: { send: () => Promise.reject(new Error('no job expected')) }, slack: {} } as unknown as SlashCommandDeps;
    const deps = { ...base, executors: slackExecutors(base) };

    // Act
    const reply = await handleSlashCommand(deps, parseSlashCommand(slashCommandBody('echo hi there', { channel: 'C0STAGE', user: 'U0DEV' })));

    // Assess
    expect(reply).toMatchObject({ response_type: 'in_channel', text: 'hi there' });
    expect(reply?.blocks?.[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '_*hi there*_' } });
    expect(JSON.stringify(reply?.blocks)).toContain('Requested by <@U0DEV>');
  });
});

describe('rendering an executor message for Slack', () => {
  it('escapes and masks whatever an executor answers: no ping, no link, no secret', () => {
    const token = 'ghp_' + 'A'.repeat(36);
    const rendered = renderExecutorMessage({
      blocks: [
        { type: 'section', text: '<!channel> look' },
        { type: 'text', text: `<https://evil.example|click> ${token}`, style: ['bold'] },
        { type: 'code', text: '``` <@U0ADMIN> ```' },
        { type: 'table', header: ['NAME', 'STATUS'], rows: [['<!here>', token]] },
      ],
    });

    const json = JSON.stringify(rendered);
    expect(json).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>|<https:/);
    expect(json).not.toContain(token);
    expect(rendered.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*&lt;!channel&gt; look*' } });
  });

  it('turns buttons and select menus into actions that run a command, parsed again on click', () => {
    const rendered = renderExecutorMessage({
      blocks: [
        { type: 'buttons', buttons: [{ label: 'Pods', command: 'kubectl get pods -n podinfo' }] },
        { type: 'select', placeholder: 'Logs of…', options: [{ label: 'podinfo-1', command: 'kubectl logs podinfo-1 -n podinfo' }] },
      ],
    });

    expect(rendered.blocks).toEqual([
      { type: 'actions', elements: [{ type: 'button', action_id: 'fluxline.run-command:0:0', text: { type: 'plain_text', text: 'Pods' }, value: '{"v":1,"type":"run-command","command":"kubectl get pods -n podinfo"}' }] },
      {
        type: 'actions',
        elements: [{ type: 'static_select', action_id: 'fluxline.run-command:1', placeholder: { type: 'plain_text', text: 'Logs of…' }, options: [{ text: { type: 'plain_text', text: 'podinfo-1' }, value: '{"v":1,"type":"run-command","command":"kubectl logs podinfo-1 -n podinfo"}' }] }],
      },
    ]);
  });

  it('stays within Slack’s block and character limits, saying when it cut', () => {
    const rendered = renderExecutorMessage({ blocks: [{ type: 'code', text: 'x'.repeat(50_000) }, { type: 'text', text: 'after' }] });

    expect(rendered.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(rendered.blocks).length).toBeLessThan(13_000);
    expect(rendered.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'The answer was too long for one Slack message and was cut.' }] });
  });
});
