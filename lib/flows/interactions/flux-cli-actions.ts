import type { ButtonAction, FluxCliCommand } from '../../core/commands';
// Light modules, not lib/flows/flux-cli's index.ts: the Slack bundle must not carry the flux runner.
import { TableRowUnavailable } from '../flux-cli/errors';
import { chosenRow, diffHint, itemActionsMessage } from '../flux-cli/item-actions';
import { logger } from '../../core/log';
import { isAdmin } from './authorize';
import { requestFluxCli, type RequestFluxCliDeps } from './request-flux-cli';

type FluxAction = Extract<ButtonAction, { type: 'flux-row' | 'flux-run' }>;
type RunAction = Extract<ButtonAction, { type: 'flux-run' }>;

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
export async function handleFluxAction(deps: RequestFluxCliDeps, action: FluxAction, context: FluxActionContext): Promise<void> {
  if (action.type === 'flux-row') {
    let chosen;
    try {
      chosen = await chosenRow(deps.store, action.jobId, action.row);
    } catch (err) {
      if (!(err instanceof TableRowUnavailable)) throw err;
      await context.tell(`That menu no longer works: ${err.message}.`);
      return;
    }
    const threadTs = context.replyThreadTs ?? context.messageTs;
    const message = itemActionsMessage(chosen, { admin: isAdmin(deps.config, context.user), ...(threadTs ? { threadTs } : {}) });
    await deps.slack.postEphemeral({ channel: context.channel, user: context.user, ...message });
    return;
  }
  if (action.action === 'diff') {
    await context.tell(diffHint(action));
    return;
  }
  const command = commandOfButton(action);
  if (!command) {
    await context.tell(`\`${action.action}\` does not apply to a ${action.kind}.`);
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
  else if (result.status === 'already-running') await context.tell(`A command on \`${action.namespace}/${action.name}\` is already queued or running (job \`${result.jobId}\`); its answer will appear in the thread.`);
  else if (!result.created) logger.info('repeated click ignored', { requestKey: context.requestKey });
}
