import type { ExecutorMessage } from '../../core/executors/message';
import { logger } from '../../core/log';
import { maskSecrets } from '../../core/sanitise';
import { signRequest, type AwsCredentials } from '../aws';
import { cappedPost, CappedPostError, type CappedPostOptions, type CappedResponse } from './capped-post';
import { decodeAnswer } from './decode-answer';
import { describeFailure } from './describe-failure';
import { RemoteExecutorFailed } from './errors';
import { REMOTE_EXECUTOR_LIMITS } from './limits';

export interface LambdaExecutorCall extends Partial<CappedPostOptions> {
  executor: string;
  /** `arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]` */
  arn: string;
  /** The request as JSON text (executor-request.schema.json): the function's event. */
  body: string;
  credentials: AwsCredentials;
  /** `AWS_ENDPOINT_URL_LAMBDA` (fakes); default the regional endpoint of the ARN's region. */
  endpoint?: string;
  /** Pause before the one retry of a throttled call (Lambda ran nothing), unless Retry-After says less. @default 500 */
  throttleRetryMs?: number;
  now?: () => Date;
}

/** The region of a Lambda ARN, which signs and routes the call (the function may live in another region than the worker). */
export function lambdaRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

/**
 * Invokes a Lambda executor synchronously (Invoke, RequestResponse: POST /2015-03-31/functions/<arn>/invocations),
 * SigV4-signed by lib/adapters/aws with the worker's role, and returns its message. The function gets
 * the request as its event, nothing of the worker's credentials. Lambda's own errors are told apart:
 * a throttle (429: nothing ran) is retried once; a 5xx may have run the function, so it is not retried.
 */
export async function invokeLambdaExecutor(call: LambdaExecutorCall): Promise<ExecutorMessage> {
  const what = `${call.executor} (Lambda)`;
  const options: CappedPostOptions = {
    connectTimeoutMs: call.connectTimeoutMs ?? REMOTE_EXECUTOR_LIMITS.connectTimeoutMs,
    timeoutMs: call.timeoutMs ?? REMOTE_EXECUTOR_LIMITS.timeoutMs,
    maxResponseBytes: call.maxResponseBytes ?? REMOTE_EXECUTOR_LIMITS.maxResponseBytes,
  };
  const region = lambdaRegion(call.arn);
  const base = call.endpoint ?? `https://lambda.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  // The ARN is one path segment: its colons are encoded, as the SDK sends them (and SigV4 encodes them again).
  const url = new URL(`${base.replace(/\/$/, '')}/2015-03-31/functions/${encodeURIComponent(call.arn)}/invocations`);
  for (let attempt = 1; ; attempt++) {
    const headers = signRequest({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
      body: call.body,
      service: 'lambda',
      region,
      credentials: call.credentials,
      now: (call.now ?? (() => new Date()))(),
    });
    let response: CappedResponse;
    try {
      response = await cappedPost(url, headers, call.body, options);
    } catch (err) {
      if (err instanceof CappedPostError) throw new RemoteExecutorFailed(call.executor, err.failure.kind, describeFailure(what, err.failure, options), { cause: err });
      throw err;
    }
    if (response.status === 429 && attempt === 1) {
      const retryAfter = Number(response.headers['retry-after']);
      const delay = Math.min(call.throttleRetryMs ?? 500, Number.isFinite(retryAfter) ? retryAfter * 1000 : Infinity);
      await new Promise((resolve) => setTimeout(resolve, delay));
      continue;
    }
    return answerOf(call.executor, what, response);
  }
}

function header(response: CappedResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answerOf(executor: string, what: string, response: CappedResponse): ExecutorMessage {
  if (response.status === 200) {
    const functionError = header(response, 'x-amz-function-error');
    if (functionError) throw functionFailed(executor, what, functionError, response.body);
    return decodeAnswer(executor, response.body);
  }
  const code = (header(response, 'x-amzn-errortype') ?? `HTTP${response.status}`).split(':')[0] ?? '';
  logger.warn('Lambda refused to invoke an executor', { executor, status: response.status, code, body: maskSecrets(response.body.toString('utf8', 0, 500)) });
  if (response.status === 429) {
    throw new RemoteExecutorFailed(executor, 'throttled', `Lambda is throttling ${what} (${code}); try again in a minute.`);
  }
  if (response.status >= 500) {
    throw new RemoteExecutorFailed(executor, 'lambda-unavailable', `Lambda could not run ${what} (HTTP ${response.status} ${code}); it may or may not have run: check before trying again.`);
  }
  const hint =
    response.status === 403 || code === 'AccessDeniedException'
      ? " The worker's role may invoke only the functions config.yaml named when Fluxline was deployed: redeploy after adding one."
      : code === 'ResourceNotFoundException'
        ? ' Check the ARN in config.yaml.'
        : '';
  throw new RemoteExecutorFailed(executor, 'lambda-refused', `Lambda refused to invoke ${what} (HTTP ${response.status} ${code}).${hint}`);
}

/**
 * The function threw (`X-Amz-Function-Error: Unhandled`, or `Handled`): Lambda answers its error as
 * `{ errorType, errorMessage, trace|stackTrace }`. The thread gets the type and the first line of the
 * message; the stack trace, never shown, stays out of the log too (it is the function's to log).
 */
function functionFailed(executor: string, what: string, kind: string, body: Buffer): RemoteExecutorFailed {
  let detail = '';
  try {
    const error = JSON.parse(body.toString('utf8')) as { errorType?: unknown; errorMessage?: unknown };
    const type = typeof error.errorType === 'string' ? error.errorType.slice(0, 100) : '';
    const first = typeof error.errorMessage === 'string' ? (error.errorMessage.split('\n')[0] ?? '').slice(0, 300) : '';
    detail = [type, first].filter(Boolean).join(': ');
  } catch {
    // Not JSON: nothing of it is shown.
  }
  return new RemoteExecutorFailed(executor, 'function-error', `${what} failed${detail ? `: ${detail}` : ` (${kind})`}.`);
}
