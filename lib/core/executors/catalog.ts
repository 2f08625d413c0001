import type { ExecutorSpec } from './contract';
import { echoExecutor } from './echo';
import { kubectlSpec } from './kubectl-spec';

/** The built-in executors config.yaml may `use:`. */
export const BUILTIN_EXECUTORS = ['echo', 'kubectl'] as const;
export type BuiltinExecutorName = (typeof BUILTIN_EXECUTORS)[number];

const SPECS = { echo: echoExecutor, kubectl: kubectlSpec } satisfies Record<BuiltinExecutorName, unknown>;

/** The spec of a built-in, by a name from config or chat; own keys only (no `constructor`, `__proto__`). */
export function builtinExecutorSpec(name: string): ExecutorSpec<unknown> | undefined {
  return Object.hasOwn(SPECS, name) ? SPECS[name as BuiltinExecutorName] : undefined;
}
