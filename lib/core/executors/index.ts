export type { Executor, ExecutorSpec, ExecutorInput } from './contract';
export { executorMessageSchema, executorBlockSchema, message, type ExecutorMessage, type ExecutorBlock } from './message';
export { ExecutorRefusal } from './errors';
export { echoExecutor, echoConfigSchema, type EchoConfig } from './echo';
export { kubectlSpec, kubectlConfigSchema, KUBECTL_RESOURCES, KUBECTL_VERBS, type KubectlConfig, type KubectlResource, type KubectlVerb } from './kubectl-spec';
export { BUILTIN_EXECUTORS, builtinExecutorSpec, type BuiltinExecutorName } from './catalog';
export { executorJsonSchemas } from './json-schemas';
export { remoteExecutorSpec, type RemoteExecutorFace } from './remote-spec';
export { executorRequestSchema, REMOTE_EXECUTOR_PROTOCOL, REMOTE_EXECUTOR_HEADERS, type ExecutorRequest } from './remote-protocol';
