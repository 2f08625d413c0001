import { AwsFault, startAwsJsonFake, type AwsFakeFault, type LoggedAwsRequest } from './aws-json';
import { FAKE_AWS_KEY, type FakeAwsKey } from './aws-signature';

export interface FakeSsmParameter {
  value: string;
  /** @default 'SecureString' */
  type?: 'String' | 'StringList' | 'SecureString';
}

export interface FakeSsm {
  url: string;
  /** Every request, in order: tests count GetParameters calls here. */
  requests: LoggedAwsRequest[];
  /** The names each GetParameters call asked for. */
  calls(): string[][];
  put(name: string, parameter: FakeSsmParameter | string): void;
  /** What a parameter holds now (PutParameter included). */
  get(name: string): FakeSsmParameter | undefined;
  failNext(faults: AwsFakeFault[]): void;
  stop(): Promise<void>;
}

export interface FakeSsmOptions {
  parameters?: Record<string, FakeSsmParameter | string>;
  keys?: readonly FakeAwsKey[];
  now?: () => number;
}

/** GetParameters takes 1 to 10 names (API_GetParameters.html). */
const MAX_NAMES = 10;

/**
 * SSM Parameter Store's AWS JSON 1.1 protocol: `X-Amz-Target: AmazonSSM.GetParameters`, SigV4 verified
 * for real. Unknown names come back in InvalidParameters; a SecureString read without WithDecryption
 * comes back encrypted (an opaque base64 blob), as it does from SSM.
 */
export async function startFakeSsm(options: FakeSsmOptions = {}): Promise<FakeSsm> {
  const parameters = new Map<string, FakeSsmParameter>();
  const put = (name: string, parameter: FakeSsmParameter | string) => parameters.set(name, typeof parameter === 'string' ? { value: parameter } : parameter);
  for (const [name, parameter] of Object.entries(options.parameters ?? {})) put(name, parameter);

  const getParameters = (input: Record<string, unknown>) => {
    const names = input.Names;
    if (!Array.isArray(names) || names.length < 1 || names.length > MAX_NAMES || !names.every((n) => typeof n === 'string')) {
      throw new AwsFault(400, 'ValidationException', `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to ${MAX_NAMES}`);
    }
    const decrypt = input.WithDecryption === true;
    const unique = [...new Set(names)];
    return {
      Parameters: unique
        .filter((name) => parameters.has(name))
        .map((name) => {
          const { value, type = 'SecureString' } = parameters.get(name) ?? { value: '' };
          const shown = type === 'SecureString' && !decrypt ? Buffer.from(`kms-encrypted:${name}`).toString('base64') : value;
          return { Name: name, Type: type, Value: shown, Version: 1, DataType: 'text', ARN: `arn:aws:ssm:eu-west-1:123456789012:parameter${name.startsWith('/') ? '' : '/'}${name}` };
        }),
      InvalidParameters: unique.filter((name) => !parameters.has(name)),
    };
  };

  // API_PutParameter.html: a standard parameter holds 4 KB; an existing one is replaced only with Overwrite.
  const putParameter = (input: Record<string, unknown>) => {
    const { Name: name, Value: value, Type: type = 'String', Overwrite: overwrite } = input;
    if (typeof name !== 'string' || typeof value !== 'string' || !['String', 'StringList', 'SecureString'].includes(String(type))) throw new AwsFault(400, 'ValidationException', 'Name, Value and a valid Type are required');
    if (Buffer.byteLength(value) > 4096) throw new AwsFault(400, 'ValidationException', `1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 4096`);
    if (parameters.has(name) && overwrite !== true) throw new AwsFault(400, 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    put(name, { value, type: type as FakeSsmParameter['type'] & string });
    return { Version: 1, Tier: 'Standard' };
  };

  const fake = await startAwsJsonFake({
    service: 'ssm',
    targetPrefix: 'AmazonSSM',
    contentType: 'application/x-amz-json-1.1',
    errorTypePrefix: '',
    signatureErrorCode: 'InvalidSignatureException',
    keys: options.keys ?? [FAKE_AWS_KEY],
    ...(options.now ? { now: options.now } : {}),
    operations: { GetParameters: getParameters, PutParameter: putParameter },
  });
  return {
    ...fake,
    calls: () => fake.requests.filter((r) => r.target === 'AmazonSSM.GetParameters' && r.status === 200).map((r) => (r.input as { Names: string[] }).Names),
    put,
    get: (name) => parameters.get(name),
  };
}
