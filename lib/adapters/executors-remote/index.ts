// Out-of-process executors (issue #19): an HTTPS endpoint signed with a shared secret, or a Lambda
// function invoked with the worker's role. Both take executor-request.schema.json and answer
// executor-message.schema.json (docs/executors/); what they answer is decoded here before anyone sees it.
export { callHttpExecutor, type HttpExecutorCall } from './http-executor';
export { invokeLambdaExecutor, lambdaRegion, type LambdaExecutorCall } from './lambda-executor';
export { signatureHeaders } from './sign';
export { RemoteExecutorFailed, type RemoteFailureReason } from './errors';
export { REMOTE_EXECUTOR_LIMITS } from './limits';
