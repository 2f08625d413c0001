import * as z from '../../core/validation';
import type { AuditEntry, JobRecord, Store } from '../../adapters/store';
import type { Config } from '../../core/config';
import { channelMayUseCluster, isAdmin, isApprover } from './authorize';

/** The flags the diff job stored as guarded by the policy when it ran (lib/flows/diffs/diff-job.ts). */
const guardedSchema = z.object({ guarded: z.optional(z.array(z.string())) });
function guardedOf(outcome: unknown): string[] {
  const parsed = guardedSchema.safeParse(outcome ?? {});
  return parsed.success ? (parsed.data.guarded ?? []) : [];
}

/** The part of a diff job's inputs that says what it diffed; read here, not trusted from the button. */
const diffTargetSchema = z.object({ repository: z.string(), number: z.int(), kustomization: z.string(), cluster: z.string() });

export type PrActionDecision = { allowed: true; source: JobRecord } | { allowed: false; reason: string; audit?: AuditEntry };

/**
 * Post diff to PR and Approve PR name a diff job; the job, not the button, says which PR and cluster. The
 * clicking channel must be allowed on that cluster (a channel bound to stage does not post or approve a
 * prod diff), and Approve needs an approver. Refusals of an existing diff are audited.
 */
export async function authorizePrAction(
  deps: { config: Config; store: Pick<Store, 'getJob'> },
  ask: { kind: 'post-diff' | 'approve'; jobId: string; user: string; channel: string },
): Promise<PrActionDecision> {
  if (ask.kind === 'approve' && !isApprover(deps.config, ask.user)) {
    return { allowed: false, reason: 'Only Fluxline approvers may approve PRs from Slack (`slack.approvers`, or `slack.admins` when unset). Ask one of them, or review on GitHub.' };
  }
  const source = await deps.store.getJob(ask.jobId);
  if (!source) return { allowed: false, reason: 'That diff report is no longer stored. Run the diff again.' };
  const target = diffTargetSchema.safeParse(source.inputs);
  if (source.kind !== 'diff' || !target.success) return { allowed: false, reason: 'That is not a diff report: use the buttons under a diff report.' };
  const { repository, number, kustomization, cluster } = target.data;
  const permission = channelMayUseCluster(deps.config, ask.channel, cluster);
  const subject = `${repository}#${number} ${kustomization}@${cluster}`;
  if (!permission.allowed) {
    return { allowed: false, reason: permission.reason, audit: { actor: ask.user, action: ask.kind, where: ask.channel, target: subject, outcome: 'refused', detail: permission.reason } };
  }
  const guarded = ask.kind === 'approve' ? guardedOf(source.outcome) : [];
  if (guarded.length > 0 && !isAdmin(deps.config, ask.user)) {
    const admins = deps.config.slack.admins.map((admin) => `<@${admin}>`).join(', ') || 'nobody: `slack.admins` is empty';
    const reason = `This diff has risk flags that need an admin to approve (${guarded.join(', ')}; \`policy.adminApproval\` in config.yaml). Ask an admin to approve: ${admins}.`;
    return { allowed: false, reason, audit: { actor: ask.user, action: ask.kind, where: ask.channel, target: subject, outcome: 'refused', detail: `policy: ${guarded.join(', ')} need an admin` } };
  }
  return { allowed: true, source };
}
