import { checkSignature, FAKE_AWS_KEY, type FakeAwsKey } from './aws-signature';
import { createRouter, type Reply, type RouteRequest } from './router';

/**
 * AWS Lambda's API as Fluxline calls it, REST-JSON, SigV4 (service `lambda`) verified for real:
 * - Invoke, by the worker for an out-of-process executor (API_Invoke.html): `POST /2015-03-31/functions/<name
 *   or ARN, URL-encoded>/invocations`. A function that throws answers 200 with `X-Amz-Function-Error: Unhandled`
 *   and Lambda's error shape (errorType, errorMessage, trace).
 * - GetFunctionConfiguration, by `npm run doctor` (`GET /2015-03-31/functions/{FunctionName}/configuration`):
 *   `Layers` as `{ Arn, CodeSize }`.
 * Lambda's own refusals carry `x-amzn-ErrorType` and a JSON body; an unknown function is a 404
 * ResourceNotFoundException.
 */
export type FakeFunction = (event: unknown) => unknown;

/** A deployed function's configuration, as GetFunctionConfiguration reports it. */
export interface FakeLambdaFunction {
  layers: string[];
  /** @default ['arm64'] */
  architectures?: string[];
}

export interface LambdaFault {
  status: number;
  code: string;
  message: string;
  retryAfterSeconds?: number;
}

export interface InvokeRecord {
  functionName: string;
  invocationType: string;
  event: unknown;
  signed: boolean;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeLambda {
  url: string;
  invocations: InvokeRecord[];
  deploy(arn: string, handler: FakeFunction): void;
  /** The configurations GetFunctionConfiguration answers with, by function name. */
  functions: Map<string, FakeLambdaFunction>;
  /** The next invocations answer these, in order, before any function runs (throttles, outages). */
  failNext(...faults: LambdaFault[]): void;
  stop(): Promise<void>;
}

const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'x-amzn-errortype': code, 'x-amzn-requestid': 'fake-request-id', ...headers },
  body: { Type: status >= 500 ? 'Service' : 'User', message },
});

export async function startFakeLambda(options: { keys?: readonly FakeAwsKey[] } = {}): Promise<FakeLambda> {
  const handlers = new Map<string, FakeFunction>();
  const functions = new Map<string, FakeLambdaFunction>();
  const invocations: InvokeRecord[] = [];
  const faults: LambdaFault[] = [];
  const router = createRouter<{ path: string }>({
    record: (request) => ({ path: request.path }),
    notFound: () => error(404, 'UnknownOperationException', 'Unknown operation'),
    onError: (err) => error(500, 'ServiceException', err instanceof Error ? err.message : String(err)),
  });

  router.route('POST', '/2015-03-31/functions/:name/invocations', async (request: RouteRequest) => {
    const check = await checkSignature({ method: request.method, url: `${request.url.pathname}${request.url.search}`, headers: request.headers, body: request.raw.toString('utf8') }, 'lambda', options.keys ?? [FAKE_AWS_KEY], 'InvalidSignatureException', Date.now());
    const functionName = decodeURIComponent(request.params.name ?? '');
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    let event: unknown;
    try {
      event = JSON.parse(request.raw.toString('utf8') || 'null');
    } catch {
      return error(400, 'InvalidRequestContentException', 'Could not parse request body into json');
    }
    invocations.push({ functionName, invocationType, event, signed: check.ok, headers: request.headers });
    if (!check.ok) return error(check.status, check.code, check.message);
    const fault = faults.shift();
    if (fault) return error(fault.status, fault.code, fault.message, fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {});
    const handler = handlers.get(functionName);
    if (!handler) return error(404, 'ResourceNotFoundException', `Function not found: ${functionName}`);
    const headers = { 'x-amz-executed-version': '$LATEST', 'x-amzn-requestid': 'fake-request-id', 'content-type': 'application/json' };
    try {
      const result = await handler(event);
      return { status: 200, headers, body: result === undefined ? 'null' : typeof result === 'string' ? result : result };
    } catch (err) {
      const thrown = err instanceof Error ? err : new Error(String(err));
      // The Node.js runtime's shape of an unhandled error (its stack lines under `trace`).
      return { status: 200, headers: { ...headers, 'x-amz-function-error': 'Unhandled' }, body: { errorType: thrown.name, errorMessage: thrown.message, trace: (thrown.stack ?? '').split('\n') } };
    }
  });

  router.route('GET', '/2015-03-31/functions/:name/configuration', async (request: RouteRequest) => {
    const check = await checkSignature({ method: request.method, url: `${request.url.pathname}${request.url.search}`, headers: request.headers, body: '' }, 'lambda', options.keys ?? [FAKE_AWS_KEY], 'InvalidSignatureException', Date.now());
    if (!check.ok) return error(check.status, check.code, check.message);
    const name = decodeURIComponent(request.params.name ?? '');
    const fn = functions.get(name);
    const arn = `arn:aws:lambda:${check.region}:123456789012:function:${name}`;
    if (!fn) return error(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
    return {
      status: 200,
      headers: { 'x-amzn-requestid': 'fake-request-id', 'content-type': 'application/json' },
      body: {
        FunctionName: name,
        FunctionArn: arn,
        Runtime: 'nodejs22.x',
        Handler: 'functions/worker.handler',
        Timeout: 360,
        MemorySize: 1024,
        State: 'Active',
        Architectures: fn.architectures ?? ['arm64'],
        ...(fn.layers.length ? { Layers: fn.layers.map((layerArn) => ({ Arn: layerArn, CodeSize: 23_456_789 })) } : {}),
      },
    };
  });

  const url = await router.listen();
  return {
    url,
    invocations,
    deploy: (arn, handler) => handlers.set(arn, handler),
    functions,
    failNext: (...next) => faults.push(...next),
    stop: () => router.stop(),
  };
}
