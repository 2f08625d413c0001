import type { ExecutorSpec } from './contract';
import type { BuiltinExecutorName } from './builtin-meta';
import { echoExecutor } from './echo';
import { kubectlSpec } from './kubectl-spec';

const SPECS = { echo: echoExecutor, kubectl: kubectlSpec } satisfies Record<BuiltinExecutorName, unknown>;

/** The spec of a built-in, by a name from config or chat; own keys only (no `constructor`, `__proto__`). */
export function builtinExecutorSpec(name: string): ExecutorSpec<unknown> | undefined {
  return Object.hasOwn(SPECS, name) ? SPECS[name as BuiltinExecutorName] : undefined;
}

/**
 * Each `executors:` configuration that `use`s a built-in, against that built-in's schema: one problem per bad
 * key, as `executors.<name>.config.<path>: message`. Run by every config load but the Slack ingress's, which
 * reads no executor configuration (README "Executors").
 */
export function executorConfigProblems(raw: unknown): string[] {
  const executors = raw && typeof raw === 'object' && 'executors' in raw && raw.executors && typeof raw.executors === 'object' ? (raw.executors as Record<string, unknown>) : {};
  return Object.entries(executors).flatMap(([name, entry]) => {
    if (!entry || typeof entry !== 'object' || !('use' in entry) || typeof entry.use !== 'string') return [];
    const spec = builtinExecutorSpec(entry.use);
    if (!spec) return [];
    const result = spec.configSchema.safeParse(('config' in entry ? entry.config : undefined) ?? {});
    return result.success ? [] : result.error.issues.map((issue) => `${['executors', name, 'config', ...issue.path].join('.')}: ${issue.message}`);
  });
}
