export type { Executor, ExecutorSpec, ExecutorInput } from './contract';
export { executorMessageSchema, executorBlockSchema, message, type ExecutorMessage, type ExecutorBlock } from './message';
export { ExecutorRefusal } from './errors';
export { echoExecutor, echoConfigSchema, type EchoConfig } from './echo';
export { kubectlSpec, kubectlConfigSchema, KUBECTL_RESOURCES, KUBECTL_VERBS, type KubectlConfig, type KubectlResource, type KubectlVerb } from './kubectl-spec';
export { BUILTIN_EXECUTORS, builtinExecutorMeta, type BuiltinExecutorName, type ExecutorMeta } from './builtin-meta';
export { builtinExecutorSpec, executorConfigProblems } from './catalog';
export { executorJsonSchemas } from './json-schemas';
