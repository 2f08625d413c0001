/**
 * Executors (issue #19) as the worker runs them: the registry of those with an `execute` that needs the
 * worker (kubectl needs the cluster), the job that runs one, and its report.
 */
export { EXECUTOR_JOB, executorRunSchema, executorAuditEntry, describeRun, type ExecutorRunInputs } from './job-inputs';
export { executeExecutorJob, reportExecutorJob, type ExecutorJobDeps } from './executor-job';
export { workerExecutor, type WorkerExecutor } from './registry';
export { kubectlExecutor } from './kubectl';
export { parseKubectl, mergeConfigs, type KubectlRequest } from './kubectl-args';
