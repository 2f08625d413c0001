import type { Button, KnownBlock } from '@slack/web-api';
import { encodeAction, type FluxCliCommand, type FluxKind } from '../../core/commands';
import { ACTIONS, escapeMrkdwn, inlineCode, truncate } from '../../adapters/slack';
import type { Store } from '../../adapters/store';
import { TableRowUnavailable } from './errors';
import { commandOfArgs } from './flux-args';
import { FLUX_CLI_JOB, fluxCliInputsSchema } from './job-inputs';
import { rowsOfOutput, type ObjectRow } from './table-rows';

export interface ChosenRow {
  row: ObjectRow;
  cluster: string;
  /** Where the row was read: its buttons name this, not the object. */
  jobId: string;
  index: number;
}

/** The object behind a select-menu choice: the stored table of that job, read again, at the chosen index. */
export async function chosenRow(store: Pick<Store, 'getJob' | 'getJobResult'>, jobId: string, index: number): Promise<ChosenRow> {
  const [job, result] = await Promise.all([store.getJob(jobId), store.getJobResult(jobId)]);
  if (!job || job.kind !== FLUX_CLI_JOB || !result) throw new TableRowUnavailable('that table is no longer stored: run the command again');
  const inputs = fluxCliInputsSchema.safeParse(job.inputs);
  const command: FluxCliCommand | undefined = inputs.success ? commandOfArgs(inputs.data.args) : undefined;
  if (!inputs.success || command?.verb !== 'get') throw new TableRowUnavailable('that menu does not belong to a `flux get` table');
  const row = rowsOfOutput(command, result.text).rows[index];
  if (!row) throw new TableRowUnavailable(`the table has no row ${index + 1}`);
  return { row, cluster: inputs.data.cluster, jobId, index };
}

type RunAction = 'reconcile' | 'suspend' | 'resume' | 'events' | 'tree' | 'diff';

const SUSPENDABLE = new Set<FluxKind>(['Kustomization', 'HelmRelease']);
const RECONCILABLE = new Set<FluxKind>(['Kustomization', 'HelmRelease', 'GitRepository']);

/**
 * The actions offered for a chosen object: reconcile, suspend or resume by its current state (admins),
 * its events, and for a Kustomization its tree and how to diff a PR against it.
 */
export function itemActionsMessage(chosen: ChosenRow, options: { admin: boolean; threadTs?: string }): { text: string; blocks: KnownBlock[] } {
  const { row, cluster, jobId, index } = chosen;
  const button = (action: RunAction, label: string, style?: 'primary' | 'danger'): Button => ({
    type: 'button',
    action_id: `${ACTIONS.fluxRun}:${action}`,
    text: { type: 'plain_text', text: label },
    ...(style ? { style } : {}),
    value: encodeAction({ type: 'flux-item', action, jobId, row: index, ...(options.threadTs ? { threadTs: options.threadTs } : {}) }),
  });
  const buttons: Button[] = [];
  if (options.admin && RECONCILABLE.has(row.kind)) buttons.push(button('reconcile', 'Reconcile', 'primary'));
  if (options.admin && SUSPENDABLE.has(row.kind) && row.suspended !== undefined) buttons.push(row.suspended ? button('resume', 'Resume') : button('suspend', 'Suspend', 'danger'));
  buttons.push(button('events', 'Events'));
  if (row.kind === 'Kustomization') buttons.push(button('tree', 'Tree'), button('diff', 'Diff a PR'));
  const state = `Ready: *${escapeMrkdwn(row.ready || '?')}*${row.suspended ? ' · *suspended*' : ''}`;
  const title = `${row.ready.toLowerCase() === 'false' ? ':red_circle:' : ':large_green_circle:'} *${row.kind}* ${inlineCode(`${row.namespace}/${row.name}`)} on ${inlineCode(cluster)} · ${state}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `${title}${row.message ? `\n> ${escapeMrkdwn(truncate(row.message, 500))}` : ''}` } }, { type: 'actions', block_id: 'flux-item-actions', elements: buttons }];
  if (!options.admin) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Reconcile, suspend and resume are for Fluxline admins (`slack.admins`).' }] });
  return { text: `${row.kind} ${row.namespace}/${row.name} on ${cluster}`, blocks };
}

/** A diff needs a PR: the command to type, filled in for this Kustomization. */
export function diffHint(target: { namespace: string; name: string; cluster: string }): string {
  return `To diff a PR against this Kustomization: \`/flux diff ks ${target.name} -n ${target.namespace} --cluster ${target.cluster} --github-ref <PR number or URL>\``;
}
