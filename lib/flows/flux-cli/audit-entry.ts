import type { FluxCliCommand } from '../../core/commands/flux-cli';
import type { AuditEntry } from '../../adapters/store';
import { describeCommand } from './flux-args';

/** The audit line of a Flux CLI command (DESIGN §2 audit item): who, from which channel, on which cluster, what, how it ended. */
export function fluxCliAuditEntry(entry: { user: string; channel: string; cluster: string; command: FluxCliCommand; outcome: 'succeeded' | 'failed' | 'refused'; detail?: string }): AuditEntry {
  const { command } = entry;
  const object = 'name' in command && command.name !== undefined ? `${command.kind}/${command.namespace}/${command.name}` : command.verb;
  return {
    actor: entry.user,
    action: describeCommand(command),
    where: `slack:${entry.channel}`,
    target: `${entry.cluster}:${object}`,
    outcome: entry.outcome,
    ...(entry.detail ? { detail: entry.detail.slice(0, 1_000) } : {}),
  };
}
