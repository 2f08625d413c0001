import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkSignature, FAKE_AWS_KEY, type FakeAwsKey } from './aws-signature';

/** An error the handler answers with, as AWS would: HTTP status, error code, message. */
export class AwsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Fault injection for the next requests that pass the signature check: an HTTP status (answered with
 * ServiceUnavailable, or InternalFailure for other 5xx), a given status and code (throttling, AccessDenied with
 * AWS's own message), 'hang'
 * (never answer: the client's deadline has to end it) or 'reset' (drop the connection).
 */
export type AwsFakeFault = number | { status: number; code: string; message?: string } | 'hang' | 'reset';

export interface LoggedAwsRequest {
  target: string;
  accessKeyId?: string;
  status: number;
  input: unknown;
}

export interface AwsJsonFakeOptions {
  /** Signing name: `sqs`, `ssm`. */
  service: string;
  /** X-Amz-Target prefix: `AmazonSQS`, `AmazonSSM`. */
  targetPrefix: string;
  contentType: string;
  /** Error namespace in `__type`, as the service writes it (`com.amazonaws.sqs#`; SSM writes none). */
  errorTypePrefix: string;
  signatureErrorCode: string;
  keys?: readonly FakeAwsKey[];
  now?: () => number;
  operations: Record<string, (input: Record<string, unknown>) => unknown>;
}

export interface AwsJsonFake {
  url: string;
  /** Every request, in order, with the status answered. */
  requests: LoggedAwsRequest[];
  failNext(faults: AwsFakeFault[]): void;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
  });
}

/** One AWS JSON-protocol service (POST / with X-Amz-Target): signature check, fault injection, request log. */
export async function startAwsJsonFake(options: AwsJsonFakeOptions): Promise<AwsJsonFake> {
  const keys = options.keys ?? [FAKE_AWS_KEY];
  const now = options.now ?? Date.now;
  const requests: LoggedAwsRequest[] = [];
  const faults: AwsFakeFault[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const entry: LoggedAwsRequest = { target, status: 0, input: undefined };
      requests.push(entry);
      const reply = (status: number, json: unknown) => {
        entry.status = status;
        res.writeHead(status, { 'content-type': options.contentType, 'x-amzn-requestid': `req-${requests.length}` });
        res.end(JSON.stringify(json));
      };
      const fail = (status: number, code: string, message: string) => reply(status, { __type: `${options.errorTypePrefix}${code}`, message });

      const signature = await checkSignature({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers, body }, options.service, keys, options.signatureErrorCode, now());
      if (!signature.ok) return fail(signature.status, signature.code, signature.message);
      entry.accessKeyId = signature.key.accessKeyId;
      if (req.method !== 'POST' || req.headers['content-type'] !== options.contentType) return fail(400, 'SerializationException', `expected a POST of ${options.contentType}`);
      const [prefix, operation = ''] = target.split('.');
      const handler = prefix === options.targetPrefix ? options.operations[operation] : undefined;
      if (!handler) return fail(400, 'UnknownOperationException', `unsupported operation ${target}`);
      let input: Record<string, unknown>;
      try {
        input = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return fail(400, 'SerializationException', 'body is not JSON');
      }
      entry.input = input;

      const fault = faults.shift();
      if (fault === 'hang') return;
      if (fault === 'reset') return req.socket.destroy();
      if (typeof fault === 'number') return fail(fault, fault === 503 ? 'ServiceUnavailable' : 'InternalFailure', 'fake failure');
      if (fault) return fail(fault.status, fault.code, fault.message ?? 'fake failure');
      try {
        reply(200, handler(input));
      } catch (err) {
        if (err instanceof AwsFault) return fail(err.status, err.code, err.message);
        throw err;
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext: (more) => faults.push(...more),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
