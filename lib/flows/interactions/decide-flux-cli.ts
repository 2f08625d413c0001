import { BUILTINS } from '../../core/executors/builtin-meta';
import type { FluxCliCommand } from '../../core/commands/flux-cli';
import { channelBinding } from '../../core/config/lookup';
import type { Config } from '../../core/config/schema';
// Light modules, not lib/flows/flux-cli's index.ts: the Slack ingress decides with this file.
import { describeCommand } from '../flux-cli/flux-args';
import { fluxCliAuditEntry } from '../flux-cli/audit-entry';
import { inlineCode, inlineCodeList } from '../../adapters/slack/mrkdwn';
import type { AuditEntry } from '../../adapters/store';
import { authorizePlanned, type PlanOutcome } from './authorize-run';

/** `--cluster`, else the channel's only bound cluster, else the only cluster; otherwise the user must say. */
export function chooseCluster(config: Config, channel: string, asked: string | undefined): { cluster: string } | { reason: string } {
  if (asked) return { cluster: asked };
  const bound = channelBinding(config, channel)?.clusters;
  if (bound?.length === 1 && bound[0]) return { cluster: bound[0] };
  const candidates = bound ?? Object.keys(config.clusters);
  if (candidates.length === 1 && candidates[0]) return { cluster: candidates[0] };
  return { reason: `Which cluster? Add \`--cluster <name>\`; ${bound ? 'this channel may use' : 'known clusters:'} ${inlineCodeList(candidates)}.` };
}

/** What config alone says of a Flux CLI command: where it runs and as whom, or why not (with the audit line of a refused mutation). */
export type FluxCliDecision =
  | { allowed: true; cluster: string; impersonate?: { user?: string; group?: string } }
  | { allowed: false; reason: string; audit?: AuditEntry };

/**
 * The plan of a flux CLI verb: which cluster (the user must say when config cannot tell), then, for the
 * dispatcher's one rule, that cluster and the verb's own words and audit line: reconcile, suspend and
 * resume are mutating built-ins, so admins only and their refusals audited.
 */
export function planFluxCli(config: Config, ask: { user: string; channel: string }, command: FluxCliCommand): PlanOutcome<{ command: FluxCliCommand; cluster: string }> {
  const chosen = chooseCluster(config, ask.channel, command.cluster);
  if ('reason' in chosen) return chosen.reason;
  const { cluster } = chosen;
  return {
    request: { command, cluster },
    clusters: [cluster],
    adminRefusal: `${inlineCode(describeCommand(command))} changes the cluster: only Fluxline admins (\`slack.admins\`) may run it. Read-only commands (\`get\`, \`tree\`, \`events\`) are open to the channel.`,
    audit: (reason) => fluxCliAuditEntry({ user: ask.user, channel: ask.channel, cluster, command, outcome: 'refused', detail: reason }),
  };
}

/**
 * Its plan and the dispatcher's rule: where it runs and as whom, or why not. Pure: the Slack ingress answers
 * a refusal in its HTTP response, and the consumer (a typed command, a click on a table's menu) decides the same way.
 */
export function decideFluxCli(config: Config, ask: { user: string; channel: string; command: FluxCliCommand }): FluxCliDecision {
  const planned = planFluxCli(config, ask, ask.command);
  if (typeof planned === 'string') return { allowed: false, reason: planned };
  const decision = authorizePlanned(config, ask, BUILTINS[ask.command.verb], planned);
  if (!decision.allowed) return decision;
  return { allowed: true, cluster: planned.request.cluster, ...(decision.impersonate ? { impersonate: decision.impersonate } : {}) };
}
