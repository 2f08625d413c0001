import * as z from '../../core/validation';
import { impersonationSchema } from '../jobs';
import type { AuditEntry } from '../../adapters/store';

// The Slack consumer imports this file (not index.ts): its bundle must not carry the Kubernetes client.

/** The job kind of executor runs the worker does (those that need the cluster or the network). */
export const EXECUTOR_JOB = 'executor';

/** What a queued run carries: the dispatcher's decision, read again by the worker against the config it has. */
export const executorRunSchema = z.object({
  executor: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/)),
  bindings: z.array(z.string()).check(z.minLength(1), z.maxLength(20)),
  args: z.array(z.string()).check(z.maxLength(40)),
  cluster: z.optional(z.string().check(z.minLength(1))),
  impersonate: z.optional(impersonationSchema),
});
export type ExecutorRunInputs = z.infer<typeof executorRunSchema>;

/** `kubectl get pods -n podinfo`, for messages and audit lines. */
export const describeRun = (run: Pick<ExecutorRunInputs, 'executor' | 'args'>) => [run.executor, ...run.args].join(' ');

/** The audit line of a mutating executor's run (DESIGN §2 audit item). */
export function executorAuditEntry(entry: { user: string; channel: string; run: ExecutorRunInputs; outcome: AuditEntry['outcome']; detail?: string }): AuditEntry {
  return {
    actor: entry.user,
    action: describeRun(entry.run).slice(0, 500),
    where: `slack:${entry.channel}`,
    target: `executor:${entry.run.bindings.join(',')}${entry.run.cluster ? `@${entry.run.cluster}` : ''}`,
    outcome: entry.outcome,
    ...(entry.detail ? { detail: entry.detail.slice(0, 1_000) } : {}),
  };
}
