import { builtinExecutorMeta } from '../../core/executors/builtin-meta';
import type { FluxCliCommand } from '../../core/commands/flux-cli';
import { channelBinding } from '../../core/config/lookup';
import type { Config } from '../../core/config/schema';
// Light modules, not lib/flows/flux-cli's index.ts: the Slack ingress decides with this file.
import { describeCommand } from '../flux-cli/flux-args';
import { fluxCliAuditEntry } from '../flux-cli/audit-entry';
import { inlineCode, inlineCodeList } from '../../adapters/slack/mrkdwn';
import type { AuditEntry } from '../../adapters/store';
import { authorizeRun } from './authorize-run';

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
 * Which cluster (the user must say when config cannot tell), then the dispatcher's one rule (authorizeRun):
 * reconcile, suspend and resume are mutating built-ins, so admins only and their refusals audited; every
 * command needs a channel allowed on its cluster, and runs as the binding's identity. Pure: the Slack
 * ingress answers a refusal in its HTTP response, and the consumer decides the same way.
 */
export function decideFluxCli(config: Config, ask: { user: string; channel: string; command: FluxCliCommand }): FluxCliDecision {
  const chosen = chooseCluster(config, ask.channel, ask.command.cluster);
  if ('reason' in chosen) return { allowed: false, reason: chosen.reason };
  const { cluster } = chosen;
  const decision = authorizeRun(config, ask, {
    mutating: builtinExecutorMeta(ask.command.verb)?.mutating ?? true,
    clusters: [cluster],
    adminRefusal: `${inlineCode(describeCommand(ask.command))} changes the cluster: only Fluxline admins (\`slack.admins\`) may run it. Read-only commands (\`get\`, \`tree\`, \`events\`) are open to the channel.`,
    audit: (reason) => fluxCliAuditEntry({ user: ask.user, channel: ask.channel, cluster, command: ask.command, outcome: 'refused', detail: reason }),
  });
  if (!decision.allowed) return decision;
  return { allowed: true, cluster, ...(decision.impersonate ? { impersonate: decision.impersonate } : {}) };
}
