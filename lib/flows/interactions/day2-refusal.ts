import type { Command } from '../../core/commands/command';
import { BUILTINS } from '../../core/executors/builtin-meta';
import { isKnownCluster } from '../../core/config/lookup';
import type { Config } from '../../core/config/schema';
import type { AuditEntry } from '../../adapters/store';
import { NoAppNamespaces, UnknownEnvironment } from '../versions/errors';
import type { ClusterToRead } from '../versions';
import { channelMayUseCluster } from './authorize';
import { authorizePlanned, type PlanOutcome } from './authorize-run';
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
 * The plan of list, diff ENV, promote and rollback: what config.yaml alone refuses of them, else the clusters
 * they act on, for the dispatcher's one rule (authorizePlanned: admins for promote and rollback, then their
 * preconditions, then the channel's binding). `verb` names what an admin may do in the refusal, for the
 * buttons that ride on rollback's rules (suspend automation, pin a policy).
 */
export function planDay2(config: Config, ask: { user: string; channel: string }, command: Day2Command, verb: string = command.kind): PlanOutcome<{ command: Day2Command }> {
  if (command.kind === 'list' || command.kind === 'diff-environment') {
    // An unknown environment first: no config change would make that command work.
    if (command.kind === 'diff-environment' && !isKnownCluster(config, command.environment)) return new UnknownEnvironment(command.environment, Object.keys(config.clusters)).message;
    if (config.apps.namespaces.length === 0) return new NoAppNamespaces().message;
    // diff ENV reads ENV, which the channel's binding must allow; list reads whatever the channel may read.
    if (command.kind === 'diff-environment') return { request: { command }, clusters: [command.environment] };
    if (readableClusters(config, ask.channel).length === 0) return `This channel may not read any cluster. Use <#${config.slack.channel}>.`;
    return { request: { command }, clusters: [] };
  }
  return {
    request: { command },
    clusters: [command.environment],
    adminRefusal: `Only Fluxline admins may ${verb}: ask one of ${config.slack.admins.map((admin) => `<@${admin}>`).join(', ') || 'the admins (none are set in `slack.admins`)'}.`,
    precondition: () => {
      if (!config.gitops) return `${command.kind === 'promote' ? 'Promote' : 'Rollback'} needs the GitOps repository: add \`gitops: { repository: owner/repo, branch: main }\` to config.yaml.`;
      if (!isKnownCluster(config, command.environment)) return new UnknownEnvironment(command.environment, Object.keys(config.clusters)).message;
      return undefined;
    },
    audit: (reason) => ({ actor: ask.user, action: command.kind, where: ask.channel, target: targetOf(command), outcome: 'refused', detail: reason }),
  };
}

/**
 * Why config.yaml alone refuses a day-2 command in this channel, or undefined when it may run: its plan and
 * the dispatcher's rule, for the buttons that stand for one of these commands.
 */
export function day2Refusal(config: Config, slash: SlashCommand, command: Day2Command, verb: string = command.kind): Day2Refusal | undefined {
  const ask = { user: slash.user_id, channel: slash.channel_id };
  const planned = planDay2(config, ask, command, verb);
  if (typeof planned === 'string') return { text: planned };
  const decision = authorizePlanned(config, ask, BUILTINS[command.kind === 'diff-environment' ? 'diff' : command.kind], planned);
  return decision.allowed ? undefined : { text: decision.reason, ...(decision.audit ? { audit: decision.audit } : {}) };
}
