import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature, FAKE_AWS_KEY } from './aws-signature';

/**
 * The one Lambda API call `npm run doctor` makes, GetFunctionConfiguration
 * (`GET /2015-03-31/functions/{FunctionName}/configuration`, REST-JSON), answered as Lambda does: the
 * SigV4 signature checked (service `lambda`, InvalidSignatureException), `Layers` as `{ Arn, CodeSize }`,
 * and an unknown function a 404 ResourceNotFoundException named in `x-amzn-ErrorType`.
 */
export interface FakeLambdaFunction {
  layers: string[];
  /** @default ['arm64'] */
  architectures?: string[];
}

export interface FakeLambda {
  /** AWS_ENDPOINT_URL_LAMBDA. */
  url: string;
  functions: Map<string, FakeLambdaFunction>;
  stop(): Promise<void>;
}

export async function startFakeLambda(): Promise<FakeLambda> {
  const functions = new Map<string, FakeLambdaFunction>();
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': '7f1d2c3b-0000-4000-8000-000000000000', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      void checkSignature({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: '' }, 'lambda', [FAKE_AWS_KEY], 'InvalidSignatureException', Date.now()).then((check) => {
        if (!check.ok) return answer(check.status, { message: check.message }, check.code);
        const match = /^\/2015-03-31\/functions\/([^/]+)\/configuration$/.exec(new URL(req.url ?? '/', 'http://lambda').pathname);
        if (req.method !== 'GET' || !match) return answer(404, { Type: 'User', message: 'Unknown operation' }, 'UnknownOperationException');
        const name = decodeURIComponent(match[1] ?? '');
        const fn = functions.get(name);
        const arn = `arn:aws:lambda:${check.region}:123456789012:function:${name}`;
        if (!fn) return answer(404, { Type: 'User', message: `Function not found: ${arn}` }, 'ResourceNotFoundException');
        return answer(200, {
          FunctionName: name,
          FunctionArn: arn,
          Runtime: 'nodejs22.x',
          Handler: 'functions/worker.handler',
          Timeout: 360,
          MemorySize: 1024,
          State: 'Active',
          Architectures: fn.architectures ?? ['arm64'],
          ...(fn.layers.length ? { Layers: fn.layers.map((layerArn) => ({ Arn: layerArn, CodeSize: 23_456_789 })) } : {}),
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    functions,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
