import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchParameters, getParameters, ParametersNotFound, ParametersUnreadable, type AwsCallOptions } from '../../lib/adapters/aws';
import { FAKE_AWS_KEY } from '../fakes/aws-signature';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';

const names = (count: number) => Array.from({ length: count }, (_, i) => `/fluxline/prod/p${String(i).padStart(2, '0')}`);

describe('getParameters', () => {
  let ssm: FakeSsm;
  let options: AwsCallOptions;

  beforeAll(async () => {
    ssm = await startFakeSsm({ parameters: Object.fromEntries(names(12).map((name) => [name, `value of ${name}`])) });
    ssm.put('/fluxline/prod/config', { value: 'slack: {}', type: 'String' });
  });
  afterAll(() => ssm.stop());
  beforeEach(() => {
    ssm.requests.length = 0;
    options = { region: 'eu-west-1', credentials: FAKE_AWS_KEY, endpoint: ssm.url, retryDelayMs: 1 };
  });

  it('reads SecureStrings decrypted and Strings as they are', async () => {
    // Act
    const values = await getParameters(options, ['/fluxline/prod/p00', '/fluxline/prod/config']);

    // Assess
    expect(values).toEqual(new Map([['/fluxline/prod/p00', 'value of /fluxline/prod/p00'], ['/fluxline/prod/config', 'slack: {}']]));
    expect(ssm.requests[0]?.input).toEqual({ Names: ['/fluxline/prod/p00', '/fluxline/prod/config'], WithDecryption: true });
  });

  it('asks for 12 names in 2 calls, 10 and 2, SSM’s limit per call', async () => {
    // Act
    const values = await getParameters(options, names(12));

    // Assess
    expect(values.size).toBe(12);
    expect(ssm.calls().map((call) => call.length).sort((a, b) => b - a)).toEqual([10, 2]);
    expect(ssm.calls().flat().sort()).toEqual(names(12));
  });

  it('asks for a repeated name once', async () => {
    await getParameters(options, ['/fluxline/prod/p01', '/fluxline/prod/p01']);
    expect(ssm.calls()).toEqual([['/fluxline/prod/p01']]);
  });

  it('names every missing parameter with the command that creates it', async () => {
    // Act
    const reading = getParameters(options, ['/fluxline/prod/p00', '/fluxline/prod/slack-bot-token', '/fluxline/prod/github-private-key']);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ParametersNotFound);
    await expect(reading).rejects.toMatchObject({ names: ['/fluxline/prod/slack-bot-token', '/fluxline/prod/github-private-key'] });
    await expect(reading).rejects.toThrow(/aws ssm put-parameter --region eu-west-1 --type SecureString --name \/fluxline\/prod\/slack-bot-token/);
    await expect(reading).rejects.toThrow(/--name \/fluxline\/prod\/github-private-key/);
  });

  it('reports missing names beside the values found, for a cache that fails only their readers', async () => {
    const fetched = await fetchParameters(options, ['/fluxline/prod/p00', '/nope']);
    expect(fetched).toEqual({ values: new Map([['/fluxline/prod/p00', 'value of /fluxline/prod/p00']]), missing: ['/nope'] });
  });

  it('is refused by the fake when signed with another secret', async () => {
    const reading = getParameters({ ...options, credentials: { ...FAKE_AWS_KEY, secretAccessKey: 'another-secret' } }, ['/fluxline/prod/p00']);
    await expect(reading).rejects.toMatchObject({ service: 'ssm', operation: 'GetParameters', status: 403, code: 'InvalidSignatureException' });
  });

  it('retries a throttled call once', async () => {
    ssm.failNext([{ status: 400, code: 'ThrottlingException' }]);
    await expect(getParameters(options, ['/fluxline/prod/p00'])).resolves.toHaveProperty('size', 1);
    expect(ssm.requests.map((r) => r.status)).toEqual([400, 200]);
  });

  const ROLE = 'arn:aws:sts::123456789012:assumed-role/fluxline-prod-eu-west-1-worker/fluxline-prod-worker';
  it.each([
    {
      why: 'the role may not read it',
      fault: { status: 400, code: 'AccessDeniedException', message: `User: ${ROLE} is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/fluxline/prod/p01 because no identity-based policy allows the ssm:GetParameters action` },
      reason: 'access-denied',
      names: ['/fluxline/prod/p01'],
      says: /SSM parameter \/fluxline\/prod\/p01 in eu-west-1 could not be read: access denied .*infra\/aws\/roles\.yml.*ssm:GetParameters/,
    },
    {
      why: 'KMS refuses the role',
      fault: { status: 400, code: 'AccessDeniedException', message: `User: ${ROLE} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:123456789012:key/1234abcd because no identity-based policy allows the kms:Decrypt action (Service: AWSKMS; Status Code: 400; Error Code: AccessDeniedException)` },
      reason: 'kms',
      names: ['/fluxline/prod/p00', '/fluxline/prod/p01'],
      says: /SSM parameters \/fluxline\/prod\/p00, \/fluxline\/prod\/p01 in eu-west-1 could not be read: KMS refused to decrypt .*parametersKmsKeyArn/,
    },
    {
      why: 'the key is disabled or gone',
      fault: { status: 400, code: 'InvalidKeyId', message: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd is disabled.' },
      reason: 'kms',
      names: ['/fluxline/prod/p00', '/fluxline/prod/p01'],
      says: /in eu-west-1 could not be read: KMS refused to decrypt .*is disabled/,
    },
  ])('names the parameter, the region and why when $why', async ({ fault, reason, names: expected, says }) => {
    // Prepare
    ssm.failNext([fault]);

    // Act
    const reading = getParameters(options, ['/fluxline/prod/p00', '/fluxline/prod/p01']);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ParametersUnreadable);
    await expect(reading).rejects.toMatchObject({ reason, names: expected, region: 'eu-west-1' });
    await expect(reading).rejects.toThrow(says);
  });
});
