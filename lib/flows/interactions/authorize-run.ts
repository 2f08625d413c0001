import type { Config } from '../../core/config/schema';
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
