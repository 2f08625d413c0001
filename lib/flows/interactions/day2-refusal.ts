import type { Command } from '../../core/commands/command';
import { builtinExecutorMeta } from '../../core/executors/builtin-meta';
import { isKnownCluster } from '../../core/config/lookup';
import type { Config } from '../../core/config/schema';
import type { AuditEntry } from '../../adapters/store';
import { NoAppNamespaces, UnknownEnvironment } from '../versions/errors';
import type { ClusterToRead } from '../versions';
import { channelMayUseCluster } from './authorize';
import { authorizeRun } from './authorize-run';
import type { SlashCommand } from './slack-payloads';

// Its own file, apart from the job queueing of request-day2.ts: the Slack ingress decides with it.

export type Day2Command = Extract<Command, { kind: 'list' | 'diff-environment' | 'promote' | 'rollback' }>;

/** The clusters this channel may read, each with the identity it reads them as (DESIGN §5 bindings). */
export function readableClusters(config: Config, channel: string): ClusterToRead[] {
  return Object.keys(config.clusters).flatMap((name) => {
    const permission = channelMayUseCluster(config, channel, name);
    if (!permission.allowed) return [];
    return [{ name, ...(permission.impersonate ? { impersonate: permission.impersonate } : {}) }];
  });
}

/** A refusal that config alone decides, with the audit line when a mutation (promote, rollback) was refused. */
export interface Day2Refusal {
  text: string;
  audit?: AuditEntry;
}

const targetOf = (command: Extract<Day2Command, { kind: 'promote' | 'rollback' }>) => (command.kind === 'promote' ? `${command.app}@${command.version} to ${command.environment}` : `${command.app} on ${command.environment}`);

/**
 * Why config.yaml alone refuses a day-2 command in this channel, or undefined when it may run. Pure, so the
 * Slack ingress answers refusals in its HTTP response and the consumer decides the same way. Admins and
 * cluster bindings are the dispatcher's one rule for every executor (authorizeRun). `verb` names what an
 * admin may do in the refusal, for the buttons that ride on rollback's rules (suspend automation, pin a policy).
 */
export function day2Refusal(config: Config, slash: SlashCommand, command: Day2Command, verb: string = command.kind): Day2Refusal | undefined {
  const ask = { user: slash.user_id, channel: slash.channel_id };
  if (command.kind === 'list' || command.kind === 'diff-environment') {
    // An unknown environment first: no config change would make that command work.
    if (command.kind === 'diff-environment' && !isKnownCluster(config, command.environment)) return { text: new UnknownEnvironment(command.environment, Object.keys(config.clusters)).message };
    if (config.apps.namespaces.length === 0) return { text: new NoAppNamespaces().message };
    if (command.kind === 'diff-environment') {
      const decision = authorizeRun(config, ask, { mutating: builtinExecutorMeta('diff')?.mutating ?? true, clusters: [command.environment], adminRefusal: '', audit: auditOf(slash, 'diff', command.environment) });
      if (!decision.allowed) return { text: decision.reason, ...(decision.audit ? { audit: decision.audit } : {}) };
    }
    if (readableClusters(config, slash.channel_id).length === 0) return { text: `This channel may not read any cluster. Use <#${config.slack.channel}>.` };
    return undefined;
  }
  const decision = authorizeRun(config, ask, {
    mutating: builtinExecutorMeta(command.kind)?.mutating ?? true,
    clusters: [command.environment],
    adminRefusal: `Only Fluxline admins may ${verb}: ask one of ${config.slack.admins.map((admin) => `<@${admin}>`).join(', ') || 'the admins (none are set in `slack.admins`)'}.`,
    precondition: () => {
      if (!config.gitops) return `${command.kind === 'promote' ? 'Promote' : 'Rollback'} needs the GitOps repository: add \`gitops: { repository: owner/repo, branch: main }\` to config.yaml.`;
      if (!isKnownCluster(config, command.environment)) return new UnknownEnvironment(command.environment, Object.keys(config.clusters)).message;
      return undefined;
    },
    audit: auditOf(slash, command.kind, targetOf(command)),
  });
  return decision.allowed ? undefined : { text: decision.reason, ...(decision.audit ? { audit: decision.audit } : {}) };
}

const auditOf =
  (slash: SlashCommand, action: string, target: string) =>
  (reason: string): AuditEntry => ({ actor: slash.user_id, action, where: slash.channel_id, target, outcome: 'refused', detail: reason });
