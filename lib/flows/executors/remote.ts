import { remoteExecutor, type Config } from '../../core/config';
import { REMOTE_EXECUTOR_PROTOCOL, remoteExecutorSpec, type ExecutorMessage, type ExecutorRequest } from '../../core/executors';
import { credentialsFromEnv, type AwsEnv } from '../../adapters/aws';
import { callHttpExecutor, invokeLambdaExecutor, REMOTE_EXECUTOR_LIMITS } from '../../adapters/executors-remote';
import type { JobRecord } from '../../adapters/store';
import type { WorkerExecutor } from './registry';

export interface RemoteExecutorDeps {
  config: Config;
  /** Reads an HTTP executor's shared secret (`secret.ssm`); `secret.env` is read from `env`. */
  readParameter(name: string): Promise<string>;
  /** The worker's environment: its role's credentials sign a Lambda Invoke; `AWS_ENDPOINT_URL_LAMBDA` points it at a fake. @default process.env */
  env?: AwsEnv;
  /** Shorter limits for tests; config.yaml's `timeoutSeconds` still wins for the total. */
  remoteLimits?: { connectTimeoutMs?: number; timeoutMs?: number; maxResponseBytes?: number; throttleRetryMs?: number };
}

const MASKED = '[redacted]';

/** An HTTP executor's HMAC key: its SSM parameter, or (npm start, config.yaml `secret: { env }`) a variable of this process. */
async function sharedSecret(deps: RemoteExecutorDeps, executor: string, secret: { ssm?: string | undefined; env?: string | undefined }): Promise<string> {
  if (secret.ssm !== undefined) return deps.readParameter(secret.ssm);
  const variable = secret.env ?? '';
  const value = (deps.env ?? process.env)[variable];
  // Said in the thread: the person who typed the command can ask whoever runs this Fluxline to set it.
  if (!value) throw new Error(`${executor} has no shared secret: ${variable} is not set in this Fluxline's environment (config.yaml executors.${executor}.http.secret.env, for npm start only; a deployed one uses secret.ssm).`);
  return value;
}

/** Every string of a message with `secret` masked: the shared key must not reach the channel even if the executor echoes it. */
function withoutSecret(message: ExecutorMessage, secret: string): ExecutorMessage {
  const mask = (value: unknown): unknown => {
    if (typeof value === 'string') return value.split(secret).join(MASKED);
    if (Array.isArray(value)) return value.map(mask);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, mask(inner)]));
    return value;
  };
  return mask(message) as ExecutorMessage;
}

/**
 * The worker's executor for an `executors:` entry with `http:` or `lambda:`, for one job: its request
 * carries the job id, so a redelivered run reaches the executor with the same id. The request holds only
 * what the schema names (args, the entry's config, who and where); Fluxline's own credentials never
 * leave, and the cluster is not given (the executor acts with its own).
 */
export function remoteWorkerExecutor(deps: RemoteExecutorDeps, name: string, job: Pick<JobRecord, 'id' | 'requester'>): WorkerExecutor | undefined {
  const remote = remoteExecutor(deps.config, name);
  if (!remote) return undefined;
  const form = remote.kind === 'http' ? remote.http : remote.lambda;
  const spec = remoteExecutorSpec({ name, kind: remote.kind, mutating: form.mutating, description: form.description });
  const limits = {
    connectTimeoutMs: deps.remoteLimits?.connectTimeoutMs ?? REMOTE_EXECUTOR_LIMITS.connectTimeoutMs,
    timeoutMs: form.timeoutSeconds !== undefined ? form.timeoutSeconds * 1000 : (deps.remoteLimits?.timeoutMs ?? REMOTE_EXECUTOR_LIMITS.timeoutMs),
    maxResponseBytes: deps.remoteLimits?.maxResponseBytes ?? REMOTE_EXECUTOR_LIMITS.maxResponseBytes,
  };
  return {
    ...spec,
    async execute(input) {
      const request: ExecutorRequest = {
        protocol: REMOTE_EXECUTOR_PROTOCOL,
        executor: name,
        requestId: job.id,
        args: [...input.args],
        configs: [...input.configs],
        requester: { user: input.requester, ...(job.requester.name ? { name: job.requester.name } : {}) },
        channel: input.channel,
      };
      const body = JSON.stringify(request);
      if (remote.kind === 'http') {
        const secret = await sharedSecret(deps, name, remote.http.secret);
        const answer = await callHttpExecutor({ executor: name, url: remote.http.url, secret, body, ...limits });
        return secret.length >= 8 ? withoutSecret(answer, secret) : answer;
      }
      const env = deps.env ?? process.env;
      const endpoint = env.AWS_ENDPOINT_URL_LAMBDA || env.AWS_ENDPOINT_URL;
      return invokeLambdaExecutor({
        executor: name,
        arn: remote.lambda.arn,
        body,
        credentials: credentialsFromEnv(env),
        ...(endpoint ? { endpoint } : {}),
        ...(deps.remoteLimits?.throttleRetryMs !== undefined ? { throttleRetryMs: deps.remoteLimits.throttleRetryMs } : {}),
        ...limits,
      });
    },
  };
}
