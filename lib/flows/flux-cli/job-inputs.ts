import * as z from '../../core/validation';
import { impersonationSchema } from '../jobs';
import { isMutation } from '../../core/commands/flux-cli';
import type { AuditEntry, Store } from '../../adapters/store';
import { fluxCliAuditEntry } from './audit-entry';

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

/** The audit line of a mutation (DESIGN §2 audit item); none for a read. */
export function mutationAuditEntry(entry: Parameters<typeof fluxCliAuditEntry>[0]): AuditEntry | undefined {
  return isMutation(entry.command) ? fluxCliAuditEntry(entry) : undefined;
}

export async function auditMutation(store: Pick<Store, 'appendAudit'>, entry: Parameters<typeof mutationAuditEntry>[0]): Promise<void> {
  const line = mutationAuditEntry(entry);
  if (line) await store.appendAudit(line);
}
