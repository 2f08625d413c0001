import type { ClusterConnection } from '../../adapters/kube';
import { echoExecutor, type Executor } from '../../core/executors';
import { kubectlExecutor } from './kubectl';

export type WorkerExecutor = Executor<unknown, ClusterConnection>;

const EXECUTORS = { echo: echoExecutor, kubectl: kubectlExecutor };

/** The worker's executors by name; own keys only. */
export function workerExecutor(name: string): WorkerExecutor | undefined {
  // Each executor's config type is its own; the job hands it configurations its own schema parsed.
  return Object.hasOwn(EXECUTORS, name) ? (EXECUTORS[name as keyof typeof EXECUTORS]) : undefined;
}
