import { nodeHttpFetch } from '../http-client/node-http-fetch';
import { defaultEndpoint } from './credentials';
import { AwsRequestFailed, AwsRequestTimedOut } from './errors';
import type { AwsCallOptions } from './json-request';
import { signRequest } from './sigv4';

/** What `npm run doctor` reads of a deployed function (Lambda GetFunctionConfiguration). */
export interface FunctionLayers {
  functionName: string;
  /** The layer version ARNs attached, in order. */
  layers: string[];
  architectures: string[];
}

/**
 * Lambda's GetFunctionConfiguration (`GET /2015-03-31/functions/{name}/configuration`, REST-JSON), signed
 * with ./sigv4 as the lean SQS and SSM calls are. Only `npm run doctor` calls it, with the operator's
 * credentials: no function's role may (infra/aws/roles.yml). Errors are AwsRequestFailed with Lambda's
 * code: ResourceNotFoundException (no such function: not deployed, or another region), AccessDeniedException.
 */
export async function getFunctionLayers(options: AwsCallOptions, functionName: string): Promise<FunctionLayers> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const url = new URL(`/2015-03-31/functions/${encodeURIComponent(functionName)}/configuration`, options.endpoint ?? defaultEndpoint('lambda', options.region));
  const headers = signRequest({ method: 'GET', url, headers: {}, body: '', service: 'lambda', region: options.region, credentials: options.credentials, now: new Date() });
  let status: number;
  let text: string;
  let errorType: string | null;
  try {
    const response = await nodeHttpFetch(url, { method: 'GET', headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    status = response.status;
    errorType = response.headers.get('x-amzn-errortype');
    text = await response.text();
  } catch (err) {
    if ((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError') throw new AwsRequestTimedOut('lambda', 'GetFunctionConfiguration', timeoutMs);
    throw new AwsRequestFailed('lambda', 'GetFunctionConfiguration', 0, 'NetworkError', `${url.host} could not be reached (${(err as Error).message})`, { cause: err });
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An error page: the status and Lambda's error type header say enough.
  }
  if (status !== 200) {
    const code = (errorType ?? '').split(':')[0] || (typeof body.Type === 'string' ? body.Type : `Http${status}`);
    const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : 'no message';
    throw new AwsRequestFailed('lambda', 'GetFunctionConfiguration', status, code, message);
  }
  const layers = Array.isArray(body.Layers) ? body.Layers.flatMap((layer: unknown) => (typeof (layer as { Arn?: unknown }).Arn === 'string' ? [(layer as { Arn: string }).Arn] : [])) : [];
  const architectures = Array.isArray(body.Architectures) ? body.Architectures.filter((a): a is string => typeof a === 'string') : ['x86_64'];
  return { functionName, layers, architectures };
}
