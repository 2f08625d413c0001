import type { KnownBlock } from '@slack/web-api';
import type { FluxCliCommand } from '../../core/commands';
import { parseGetTable } from '../../adapters/flux';
import { BLOCK_KIT, codeSections, escapeCode, escapeMrkdwn, inlineCode } from '../../adapters/slack';
import { maskSecrets } from '../../core/sanitise';
import { describeCommand } from './flux-args';
import type { CommandMessage } from './table-message';
import { alignedTable } from './table-message';

export interface OutputContext {
  jobId: string;
  cluster: string;
  command: FluxCliCommand;
  requester: string;
}

const DONE: Record<FluxCliCommand['verb'], string> = {
  get: ':clipboard:',
  reconcile: ':arrows_counterclockwise:',
  suspend: ':double_vertical_bar:',
  resume: ':arrow_forward:',
  tree: ':deciduous_tree:',
  events: ':scroll:',
};

/** `tree`, `events` and the mutations: flux's output in code sections, or uploaded when long (the diff's rules). */
export function outputMessage(context: OutputContext, output: string): CommandMessage {
  const command = describeCommand(context.command);
  const body = maskSecrets(context.command.verb === 'events' ? alignedTable(parseGetTable(output)) : output.trimEnd());
  const head: KnownBlock = { type: 'section', text: { type: 'mrkdwn', text: `${DONE[context.command.verb]} ${inlineCode(command)} on ${inlineCode(context.cluster)}` } };
  const footer: KnownBlock = { type: 'context', elements: [{ type: 'mrkdwn', text: `Requested by <@${context.requester}> · job \`${context.jobId}\`` }] };
  const text = escapeMrkdwn(`${command} on ${context.cluster}`);
  const sections = codeSections(body, { maxBlocks: BLOCK_KIT.blocksPerMessage - 2 });
  if (sections.complete) return { text, blocks: [head, ...sections.blocks, footer] };
  return {
    text,
    blocks: [head, { type: 'section', text: { type: 'mrkdwn', text: `The output is ${body.length.toLocaleString('en')} characters, too long for a message: it is attached as a file.` } }, footer],
    upload: { filename: `flux-${context.command.verb}-${context.cluster}.txt`, title: `${command} on ${context.cluster}`, content: body },
  };
}

/** "Nothing found" is an answer, not an error (flux ≥ 2.6 exits 1 for it). */
export function emptyMessage(context: OutputContext, flux: string): CommandMessage {
  const command = describeCommand(context.command);
  const message = maskSecrets(flux);
  return {
    text: escapeMrkdwn(`${command} on ${context.cluster}: ${message}`),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:information_source: ${inlineCode(command)} on ${inlineCode(context.cluster)}: ${inlineCode(message)}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `Requested by <@${context.requester}> · job \`${context.jobId}\`` }] },
    ],
  };
}

/** What to check for each way a command can fail, next to flux's own line. */
export function failureHint(kind: string | undefined, errorName: string | undefined): string {
  if (kind === 'timeout') return 'flux did not finish in time: the cluster may be slow or unreachable. Try again; if it persists, raise FLUX_TIMEOUT_SECONDS.';
  if (kind === 'crashed') return 'the flux process died: check the worker logs for this job and the flux layer.';
  if (kind === 'failed') return 'flux refused or the cluster answered with an error: check the name, the namespace (`-n`) and the RBAC of the worker or the channel binding.';
  switch (errorName) {
    case 'ClusterUnreachable':
      return 'check the cluster endpoint in config.yaml and that the worker can reach it.';
    case 'ClusterConfigInvalid':
      return "fix this cluster's entry under `clusters` in config.yaml.";
    case 'ClusterAuthFailed':
      return "check the worker's cluster credentials and RBAC.";
    default:
      return 'see the worker logs for this job id.';
  }
}

export function failureMessage(context: OutputContext, flux: string, hint: string): CommandMessage {
  const command = describeCommand(context.command);
  const error = maskSecrets(flux);
  return {
    text: `:x: ${escapeMrkdwn(`${command} on ${context.cluster} failed: ${error}`)}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:x: *${inlineCode(command)} on ${inlineCode(context.cluster)} failed*\n\`\`\`${escapeCode(error.slice(0, 2500))}\`\`\`` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `What to check: ${hint} · job \`${context.jobId}\` · requested by <@${context.requester}>` }] },
    ],
  };
}
