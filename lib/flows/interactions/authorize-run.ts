import type { Config } from '../../core/config/schema';
import type { ExecutorMeta } from '../../core/executors/builtin-meta';
import { inlineCode } from '../../adapters/slack/mrkdwn';
import type { AuditEntry } from '../../adapters/store';
import { channelMayUseCluster, isAdmin, type Permission } from './authorize';

/** What the dispatcher needs to know of a run to authorize it, whatever the executor (built-in or configured). */
export interface RunToAuthorize {
  /** The executor's own flag: admins only, and a refusal leaves an audit line. */
  mutating: boolean;
  /** The clusters it touches, each held to the channel's binding; the first one's identity is the one to run as. */
  clusters: readonly string[];
  /** Why only admins, in the executor's words. */
  adminRefusal: string;
  /** What must hold before the clusters are checked (a precondition of the executor itself, e.g. a GitOps repository); a refusal in words. */
  precondition?: () => string | undefined;
  /** The audit line of a refusal of a mutating run. */
  audit: (reason: string) => AuditEntry;
}

export type RunDecision = Exclude<Permission, { allowed: false }> | { allowed: false; reason: string; audit?: AuditEntry };

/**
 * Authorization, applied once, the same way for every executor (issue #19 item 3): a mutating one needs an
 * admin (`slack.admins`), then the executor's own preconditions, then each cluster it touches must be one
 * the channel is bound to. A refusal of a mutating run carries its audit line, which the caller makes
 * durable (the ingress queues it; the consumer writes it).
 */
export function authorizeRun(config: Config, ask: { user: string; channel: string }, run: RunToAuthorize): RunDecision {
  const refuse = (reason: string): RunDecision => ({ allowed: false, reason, ...(run.mutating ? { audit: run.audit(reason) } : {}) });
  if (run.mutating && !isAdmin(config, ask.user)) return refuse(run.adminRefusal);
  const unmet = run.precondition?.();
  if (unmet) return refuse(unmet);
  let impersonate: { user?: string; group?: string } | undefined;
  for (const cluster of run.clusters) {
    const permission = channelMayUseCluster(config, ask.channel, cluster);
    if (!permission.allowed) return refuse(permission.reason);
    impersonate ??= permission.impersonate;
  }
  return impersonate ? { allowed: true, impersonate } : { allowed: true };
}

/**
 * What an executor's plan made of a command, from its words and config.yaml alone (pure, so the Slack
 * ingress runs it): the request its `execute` gets, and what the dispatcher authorizes. A plan answers a
 * string instead when the command cannot run whoever asks (bad arguments, an unknown environment).
 */
export interface Planned<Request> {
  request: Request;
  /** The clusters it acts on, each held to the channel's binding. */
  clusters: readonly string[];
  /** Why only admins, in the executor's words; a generic sentence by default. */
  adminRefusal?: string;
  precondition?: () => string | undefined;
  /** The audit line of a refused mutating run; a generic one (the executor's name) by default. */
  audit?: (reason: string) => AuditEntry;
}

export type PlanOutcome<Request> = Planned<Request> | string;

/** The dispatcher's one rule (authorizeRun) applied to a planned run of the executor `meta` describes. */
export function authorizePlanned(config: Config, ask: { user: string; channel: string }, meta: Pick<ExecutorMeta, 'name' | 'mutating'>, planned: Planned<unknown>): RunDecision {
  return authorizeRun(config, ask, {
    mutating: meta.mutating,
    clusters: planned.clusters,
    adminRefusal: planned.adminRefusal ?? `${inlineCode(meta.name)} changes things: only Fluxline admins (\`slack.admins\`) may run it.`,
    ...(planned.precondition ? { precondition: planned.precondition } : {}),
    audit: planned.audit ?? ((reason) => ({ actor: ask.user, action: meta.name, where: `slack:${ask.channel}`, target: `executor:${meta.name}`, outcome: 'refused', detail: reason })),
  });
}
