import * as z from '../../core/validation';
import { impersonationSchema } from '../jobs';
import { isMutation, type FluxCliCommand } from '../../core/commands';
import type { AuditEntry, Store } from '../../adapters/store';
import { describeCommand } from './flux-args';

// What the Slack function needs to queue a command, apart from the worker's runner: the Slack function
// imports this file (not index.ts) so its bundle carries no flux runner and no Kubernetes client.

/** The job kind of Flux CLI commands from Slack. */
export const FLUX_CLI_JOB = 'flux-cli';

/** What a queued command carries: argv of our grammar (parsed again here), the cluster and the channel's identity. */
export const fluxCliInputsSchema = z.object({
  args: z.array(z.string()).check(z.minLength(1), z.maxLength(20)),
  cluster: z.string().check(z.minLength(1)),
  impersonate: z.optional(impersonationSchema),
});
export type FluxCliInputs = z.infer<typeof fluxCliInputsSchema>;

/** The audit line of a mutation (DESIGN §2 audit item): who, from which channel, on which cluster, what, how it ended; none for a read. */
export function mutationAuditEntry(entry: { user: string; channel: string; cluster: string; command: FluxCliCommand; outcome: 'succeeded' | 'failed' | 'refused'; detail?: string }): AuditEntry | undefined {
  if (!isMutation(entry.command)) return undefined;
  const { kind, namespace, name } = entry.command;
  return {
    actor: entry.user,
    action: describeCommand(entry.command),
    where: `slack:${entry.channel}`,
    target: `${entry.cluster}:${kind}/${namespace}/${name}`,
    outcome: entry.outcome,
    ...(entry.detail ? { detail: entry.detail.slice(0, 1_000) } : {}),
  };
}

export async function auditMutation(store: Pick<Store, 'appendAudit'>, entry: Parameters<typeof mutationAuditEntry>[0]): Promise<void> {
  const line = mutationAuditEntry(entry);
  if (line) await store.appendAudit(line);
}
