import { nodeHttpFetch, type NodeFetchResponse } from '../http-client/node-http-fetch';
import { defaultEndpoint, type AwsCredentials } from './credentials';
import { AwsRequestFailed, AwsRequestTimedOut } from './errors';
import { signRequest } from './sigv4';

/** What every call needs: where, as whom, how long. `awsOptionsFromEnv` builds it from Lambda's environment. */
export interface AwsCallOptions {
  region: string;
  credentials: AwsCredentials;
  /** `AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL` (fakes, local stacks); default the regional endpoint. */
  endpoint?: string;
  /**
   * One deadline for the whole call, connect, answer, backoff and retry included: the ingress must ack
   * Slack within 3 s, so a slow AWS must not hold it longer than this.
   * @default 3000
   */
  timeoutMs?: number;
  /**
   * Pause before the one retry (plus up to as much again of jitter).
   * @default 100
   */
  retryDelayMs?: number;
}

export interface AwsJsonRequest extends AwsCallOptions {
  /** Signing name and endpoint prefix: `sqs`, `ssm`. */
  service: string;
  /** `X-Amz-Target`: `AmazonSQS.SendMessage`, `AmazonSSM.GetParameters`. */
  target: string;
  /** The protocol version the service speaks: SQS `application/x-amz-json-1.0`, SSM `application/x-amz-json-1.1`. */
  contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  body: unknown;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_RETRY_DELAY_MS = 100;

/**
 * The SDK's throttling codes (@smithy/service-error-classification) plus SQS's own: retried like a 5xx.
 * Any other 4xx is the request's fault and would fail the same way again.
 */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'KmsThrottled',
]);

/**
 * AWS error messages stay in our errors, cut at this length: a signature mismatch quotes the canonical
 * request AWS expected (~600 characters), which is what shows a signing bug, so it is kept whole.
 */
const MAX_DETAIL = 1000;

type Attempt = { ok: true; value: unknown } | { ok: false; error: AwsRequestFailed; retryable: boolean };

/**
 * One POST of the AWS JSON protocol (the wire format of SQS, SSM, DynamoDB...), SigV4-signed by
 * ./sigv4 over node:crypto and sent over node:http(s) (lib/core/http/node-http-fetch: no undici on the cold
 * path). Retried once on a 5xx, a throttling code or a network error; a 4xx is final. Resolves to the
 * parsed JSON answer, which the caller checks.
 *
 * SendMessage is not idempotent: a retry after a lost answer can queue a message twice, as the SDK's
 * retries can. Consumers dedupe (FIFO queues by MessageDeduplicationId).
 */
export async function awsJsonRequest(request: AwsJsonRequest): Promise<unknown> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const operation = request.target.slice(request.target.indexOf('.') + 1);
  const body = JSON.stringify(request.body);
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request, operation, body, deadline, timeoutMs);
    if (outcome.ok) return outcome.value;
    if (!outcome.retryable || attempt === 2 || deadline.aborted) throw outcome.error;
    const delay = request.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
    if (deadline.aborted) throw new AwsRequestTimedOut(request.service, operation, timeoutMs, { cause: outcome.error });
  }
}

async function attemptOnce(request: AwsJsonRequest, operation: string, body: string, deadline: AbortSignal, timeoutMs: number): Promise<Attempt> {
  const url = new URL(request.endpoint ?? defaultEndpoint(request.service, request.region));
  // Signed per attempt: the retry carries a fresh x-amz-date.
  const headers = signRequest({
    method: 'POST',
    url,
    headers: { 'content-type': request.contentType, 'x-amz-target': request.target },
    body,
    service: request.service,
    region: request.region,
    credentials: request.credentials,
    now: new Date(),
  });
  let response: NodeFetchResponse;
  let text: string;
  try {
    response = await nodeHttpFetch(url, { method: 'POST', headers, body, signal: deadline, redirect: 'error' });
    text = await response.text();
  } catch (err) {
    if (deadline.aborted) return { ok: false, error: new AwsRequestTimedOut(request.service, operation, timeoutMs), retryable: false };
    const reason = err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}` : String(err);
    return { ok: false, error: new AwsRequestFailed(request.service, operation, 0, 'NetworkError', `${url.host} could not be reached (${reason})`), retryable: true };
  }
  const parsed = parseJson(text);
  if (response.ok) return { ok: true, value: parsed ?? {} };
  const code = errorCode(response, parsed);
  const detail = errorMessage(parsed, text, request.credentials);
  const error = new AwsRequestFailed(request.service, operation, response.status, code, detail);
  return { ok: false, error, retryable: response.status >= 500 || response.status === 429 || THROTTLING_CODES.has(code) };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JSON protocol names the error in `__type` (`com.amazonaws.sqs#QueueDoesNotExist`) or in the
 * `x-amzn-ErrorType` header (`UnrecognizedClientException:http://internal.amazon.com/...`).
 */
function errorCode(response: NodeFetchResponse, body: Record<string, unknown> | undefined): string {
  const raw = stringField(body, '__type') ?? stringField(body, 'code') ?? response.headers.get('x-amzn-errortype') ?? `Http${response.status}`;
  return (raw.split(':')[0] ?? raw).split('#').pop() || raw;
}

function errorMessage(body: Record<string, unknown> | undefined, text: string, credentials: AwsCredentials): string {
  // Redacted before it is cut, so that no prefix of a credential survives the cut.
  const message = redact(stringField(body, 'message') ?? stringField(body, 'Message') ?? (body ? 'no message' : text.trim() || 'empty answer'), credentials);
  return message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL)}…` : message;
}

function stringField(body: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = body?.[key];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * AWS's SignatureDoesNotMatch message quotes the canonical request it expected, signed headers and
 * their values included: x-amz-security-token among them. Errors end up in logs, so no credential may
 * survive in one.
 */
function redact(message: string, credentials: AwsCredentials): string {
  let clean = message;
  for (const secret of [credentials.sessionToken, credentials.secretAccessKey, credentials.accessKeyId]) {
    if (secret) clean = clean.split(secret).join('[redacted]');
  }
  return clean;
}
