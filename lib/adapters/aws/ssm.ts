import { AwsRequestFailed, ParametersNotFound, ParametersUnreadable } from './errors';
import { awsJsonRequest, type AwsCallOptions } from './json-request';

/** GetParameters takes at most 10 names per call (docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html). */
export const SSM_MAX_NAMES_PER_CALL = 10;

export interface FetchedParameters {
  /** Requested name -> value, SecureStrings decrypted. */
  values: Map<string, string>;
  /** Names SSM listed as InvalidParameters: they do not exist (or this role may not see them). */
  missing: string[];
}

/**
 * AmazonSSM.GetParameters with WithDecryption, 10 names per call, the calls in parallel. Missing names
 * are reported, not thrown: a cache keeps what was found and fails only the reader of a missing one.
 * `decrypt: false` (the readiness check) sees that a SecureString exists without ever holding its value.
 */
export async function fetchParameters(options: AwsCallOptions, names: readonly string[], { decrypt = true }: { decrypt?: boolean } = {}): Promise<FetchedParameters> {
  const unique = [...new Set(names)];
  const batches: string[][] = [];
  for (let i = 0; i < unique.length; i += SSM_MAX_NAMES_PER_CALL) batches.push(unique.slice(i, i + SSM_MAX_NAMES_PER_CALL));
  const answers = await Promise.all(
    batches.map((batch) =>
      awsJsonRequest({ ...options, service: 'ssm', target: 'AmazonSSM.GetParameters', contentType: 'application/x-amz-json-1.1', body: { Names: batch, WithDecryption: decrypt } }).catch(
        (err: unknown) => {
          throw unreadable(err, batch, options.region) ?? err;
        },
      ),
    ),
  );
  const values = new Map<string, string>();
  const missing: string[] = [];
  for (const answer of answers) {
    const { parameters, invalid } = parseAnswer(answer);
    for (const parameter of parameters) values.set(parameter.name, parameter.value);
    missing.push(...invalid);
  }
  return { values, missing };
}

/** Every name's value, or ParametersNotFound naming every missing one with the command that creates it. */
export async function getParameters(options: AwsCallOptions, names: readonly string[]): Promise<Map<string, string>> {
  const { values, missing } = await fetchParameters(options, names);
  if (missing.length) throw new ParametersNotFound(missing, options.region);
  return values;
}

interface ParsedAnswer {
  parameters: { name: string; value: string }[];
  invalid: string[];
}

/** `Name` is the stored name; a request with a version or label selector (`/x:3`) also gets `Selector`. */
function parseAnswer(answer: unknown): ParsedAnswer {
  const body = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const { Parameters: parameters = [], InvalidParameters: invalid = [] } = body;
  if (!Array.isArray(parameters) || !Array.isArray(invalid)) throw malformed('Parameters or InvalidParameters is not a list');
  return {
    parameters: parameters.map((item: unknown) => {
      const { Name: name, Value: value, Selector: selector } = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      if (typeof name !== 'string' || typeof value !== 'string') throw malformed('a parameter has no Name or Value');
      return { name: typeof selector === 'string' ? `${name}${selector}` : name, value };
    }),
    invalid: invalid.filter((name): name is string => typeof name === 'string'),
  };
}

/**
 * A refusal of the whole call, said in terms of the parameters: which (AWS's message names the one IAM
 * refused; else every name of the call), where, and whether IAM or KMS said no.
 */
function unreadable(err: unknown, names: string[], region: string): ParametersUnreadable | undefined {
  if (!(err instanceof AwsRequestFailed)) return undefined;
  const detail = err.message.replace(/^[^:]*: /, '');
  const kms = err.code === 'InvalidKeyId' || /kms|ciphertext/i.test(detail);
  const named = /:parameter(\/\S+)/.exec(detail)?.[1];
  return kms || /AccessDenied/.test(err.code) ? new ParametersUnreadable(!kms && named && names.includes(named) ? [named] : names, region, kms ? 'kms' : 'access-denied', detail, { cause: err }) : undefined;
}

function malformed(reason: string): AwsRequestFailed {
  return new AwsRequestFailed('ssm', 'GetParameters', 200, 'MalformedResponse', reason);
}
