import type { ButtonAction, FluxCliCommand } from '../../core/commands';
// Light modules, not lib/flows/flux-cli's index.ts: the Slack bundle must not carry the flux runner.
import { TableRowUnavailable } from '../flux-cli/errors';
import { chosenRow, diffHint, itemActionsMessage, type ChosenRow } from '../flux-cli/item-actions';
import { logger } from '../../core/log';
import { inlineCode } from '../../adapters/slack/mrkdwn';
import { channelMayUseCluster, isAdmin } from './authorize';
import { requestFluxCli, type RequestFluxCliDeps } from './request-flux-cli';

type FluxAction = Extract<ButtonAction, { type: 'flux-row' | 'flux-item' | 'flux-run' }>;
/** One action on one object of one cluster, wherever the button got them from. */
type RunAction = Omit<Extract<ButtonAction, { type: 'flux-run' }>, 'type'>;

export interface FluxActionContext {
  user: string;
  userName?: string;
  channel: string;
  /** The message the menu or button is on. */
  messageTs?: string;
  /** Its thread parent, when that message is a reply. */
  replyThreadTs?: string;
  requestKey: string;
  /** Tells the user privately (ephemeral, outside any thread, so it shows where they clicked). */
  tell: (text: string) => Promise<void>;
}

/** The command a button stands for; undefined when the kind does not take that action. */
function commandOfButton(action: RunAction): FluxCliCommand | undefined {
  const { kind, namespace, name, cluster } = action;
  switch (action.action) {
    case 'reconcile':
      return kind === 'Kustomization' || kind === 'HelmRelease' || kind === 'GitRepository' ? { verb: 'reconcile', kind, name, namespace, withSource: false, cluster } : undefined;
    case 'suspend':
    case 'resume':
      return kind === 'Kustomization' || kind === 'HelmRelease' ? { verb: action.action, kind, name, namespace, cluster } : undefined;
    case 'tree':
      return kind === 'Kustomization' ? { verb: 'tree', kind, name, namespace, cluster } : undefined;
    case 'events':
      return { verb: 'events', for: { kind, name }, namespace, allNamespaces: false, cluster };
    case 'diff':
      return undefined;
  }
}

/**
 * A row chosen in a `flux get` menu answers, privately, with that object's actions; a click on one
 * of them is authorized and queued like the typed command (admins only for mutations, once per click).
 */
export async function handleFluxAction(deps: RequestFluxCliDeps, clicked: FluxAction, context: FluxActionContext): Promise<void> {
  let action: RunAction;
  if (clicked.type === 'flux-run') {
    const { type: _type, ...legacy } = clicked;
    action = legacy;
  } else {
    let chosen;
    try {
      chosen = await chosenRow(deps.store, clicked.jobId, clicked.row);
    } catch (err) {
      if (!(err instanceof TableRowUnavailable)) throw err;
      await context.tell(`That ${clicked.type === 'flux-row' ? 'menu' : 'button'} no longer works: ${err.message}.`);
      return;
    }
    if (clicked.type === 'flux-item') {
      const { row, cluster } = chosen;
      action = { action: clicked.action, cluster, kind: row.kind, namespace: row.namespace, name: row.name, ...(clicked.threadTs ? { threadTs: clicked.threadTs } : {}) };
    } else {
      await offerItemActions(deps, chosen, context);
      return;
    }
  }
  await runItemAction(deps, action, context);
}

/**
 * A chosen row: its object's actions, privately, under the table's thread. The table's cluster must be
 * one this channel may use: an option value sent from elsewhere does not show another cluster's objects.
 */
async function offerItemActions(deps: RequestFluxCliDeps, chosen: ChosenRow, context: FluxActionContext): Promise<void> {
  const permission = channelMayUseCluster(deps.config, context.channel, chosen.cluster);
  if (!permission.allowed) {
    await context.tell(permission.reason);
    return;
  }
  const threadTs = context.replyThreadTs ?? context.messageTs;
  const message = itemActionsMessage(chosen, { admin: isAdmin(deps.config, context.user), ...(threadTs ? { threadTs } : {}) });
  await deps.slack.postEphemeral({ channel: context.channel, user: context.user, ...message });
}

/** Authorized and queued like the typed command (decideFluxCli): the channel's clusters, admins for mutations. */
async function runItemAction(deps: RequestFluxCliDeps, action: RunAction, context: FluxActionContext): Promise<void> {
  if (action.action === 'diff') {
    await context.tell(diffHint(action));
    return;
  }
  const command = commandOfButton(action);
  if (!command) {
    await context.tell(`${inlineCode(action.action)} does not apply to a ${action.kind}.`);
    return;
  }
  const result = await requestFluxCli(deps, {
    requestKey: context.requestKey,
    user: context.user,
    ...(context.userName ? { userName: context.userName } : {}),
    channel: context.channel,
    ...(action.threadTs ? { threadTs: action.threadTs } : {}),
    command,
  });
  if (result.status === 'refused') await context.tell(result.reason);
  else if (result.status === 'already-running') await context.tell(`A command on ${inlineCode(`${action.namespace}/${action.name}`)} is already queued or running (job \`${result.jobId}\`); its answer will appear in the thread.`);
  else if (!result.created) logger.info('repeated click ignored', { requestKey: context.requestKey });
}
