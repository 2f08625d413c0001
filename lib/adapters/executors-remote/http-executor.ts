import type { ExecutorMessage } from '../../core/executors/message';
import { logger } from '../../core/log';
import { maskSecrets } from '../../core/sanitise';
import { cappedPost, CappedPostError, type CappedPostOptions, type CappedResponse } from './capped-post';
import { decodeAnswer } from './decode-answer';
import { RemoteExecutorFailed } from './errors';
import { REMOTE_EXECUTOR_LIMITS } from './limits';
import { signatureHeaders } from './sign';
import { describeFailure } from './describe-failure';

export interface HttpExecutorCall extends Partial<CappedPostOptions> {
  /** The `executors:` entry's name, for messages and logs. */
  executor: string;
  url: string;
  /** The shared HMAC key (from SSM); signs the request and is never sent. */
  secret: string;
  /** The request as JSON text (executor-request.schema.json): exactly the bytes signed. */
  body: string;
  now?: () => Date;
}

/**
 * Sends one signed request to an HTTP executor and returns its message, or throws RemoteExecutorFailed
 * in plain words. Only the body and these headers leave: no Slack, GitHub or AWS credential, no cookie,
 * no header of the worker's own. A redirect is not followed (it could point the worker at an address
 * the executor's owner could not reach, such as the instance metadata service) but refused.
 */
export async function callHttpExecutor(call: HttpExecutorCall): Promise<ExecutorMessage> {
  const options: CappedPostOptions = {
    connectTimeoutMs: call.connectTimeoutMs ?? REMOTE_EXECUTOR_LIMITS.connectTimeoutMs,
    timeoutMs: call.timeoutMs ?? REMOTE_EXECUTOR_LIMITS.timeoutMs,
    maxResponseBytes: call.maxResponseBytes ?? REMOTE_EXECUTOR_LIMITS.maxResponseBytes,
  };
  const url = new URL(call.url);
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'fluxline-executor/1', ...signatureHeaders(call.secret, call.body, (call.now ?? (() => new Date()))()) };
  let response: CappedResponse;
  try {
    response = await cappedPost(url, headers, call.body, options);
  } catch (err) {
    if (err instanceof CappedPostError) throw new RemoteExecutorFailed(call.executor, err.failure.kind, describeFailure(call.executor, err.failure, options), { cause: err });
    throw err;
  }
  if (response.status >= 300 && response.status < 400) {
    throw new RemoteExecutorFailed(call.executor, 'redirect', `${call.executor} answered with a redirect (HTTP ${response.status}), which Fluxline does not follow: configure the final URL.`);
  }
  if (response.status < 200 || response.status >= 300) {
    // The body may be a stack trace or an HTML error page: the log has its start, the thread the status.
    logger.warn('executor answered an error status', { executor: call.executor, status: response.status, body: maskSecrets(response.body.toString('utf8', 0, 500)) });
    throw new RemoteExecutorFailed(call.executor, 'http-status', `${call.executor} answered HTTP ${response.status}; its own logs say why.`);
  }
  return decodeAnswer(call.executor, response.body);
}
