/**
 * The built-in commands as executors (issue #19): what the dispatcher reads to authorize them exactly as it
 * authorizes a configured executor. `mutating` means admins only, and every run and refusal is audited; a
 * built-in is bound to every channel (a configured executor only to the channels that list it).
 */
export interface BuiltinCommand {
  readonly name: string;
  readonly mutating: boolean;
  /** Runs on a cluster, which the channel's binding must allow. */
  readonly needsCluster: boolean;
}

const builtin = (name: string, mutating: boolean, needsCluster = true): BuiltinCommand => ({ name, mutating, needsCluster });

export const BUILTIN_COMMANDS: readonly BuiltinCommand[] = [
  builtin('help', false, false),
  builtin('list', false),
  builtin('diff', false),
  builtin('history', false, false),
  builtin('promote', true),
  builtin('rollback', true),
  builtin('get', false),
  builtin('tree', false),
  builtin('events', false),
  builtin('reconcile', true),
  builtin('suspend', true),
  builtin('resume', true),
];

/** The built-in a command word names; own entries only. */
export function builtinCommand(name: string): BuiltinCommand | undefined {
  return BUILTIN_COMMANDS.find((command) => command.name === name);
}
