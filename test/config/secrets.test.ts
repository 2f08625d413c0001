import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearParameterCache, preloadParameters, readParameter, readSecret, requireSecret } from '../../lib/adapters/secrets';
import { ConfigError, MissingEnvironmentVariable } from '../../lib/core/config';
import { FAKE_AWS_KEY, fakeAwsEnv } from '../fakes/aws-signature';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';

const P = '/fluxline/prod';

describe('secrets from SSM', () => {
  let ssm: FakeSsm;
  let env: Record<string, string>;

  beforeAll(async () => {
    ssm = await startFakeSsm({
      parameters: {
        [`${P}/github-webhook-secret`]: 'webhook-secret-value',
        [`${P}/slack-signing-secret`]: 'signing-secret-value',
        [`${P}/config`]: { value: 'slack: { channel: C0FLUX }', type: 'String' },
        [`${P}/kubeconfig/stage`]: 'apiVersion: v1',
      },
    });
  });
  afterAll(() => ssm.stop());
  beforeEach(() => {
    clearParameterCache();
    ssm.requests.length = 0;
    env = {
      ...fakeAwsEnv({ ssm: ssm.url }),
      GITHUB_WEBHOOK_SECRET_PARAM: `${P}/github-webhook-secret`,
      SLACK_SIGNING_SECRET_PARAM: `${P}/slack-signing-secret`,
      FLUXLINE_CONFIG: `ssm:${P}/config`,
    };
  });

  it('reads every parameter of the function in one call, whichever comes first', async () => {
    // Act
    const webhookSecret = await readSecret(env, 'GITHUB_WEBHOOK_SECRET');
    await preloadParameters(env);
    const config = await readParameter(`${P}/config`, env);
    const signingSecret = await requireSecret(env, 'SLACK_SIGNING_SECRET', 'set it');

    // Assess
    expect([webhookSecret, config, signingSecret]).toEqual(['webhook-secret-value', 'slack: { channel: C0FLUX }', 'signing-secret-value']);
    expect(ssm.calls()).toEqual([[`${P}/config`, `${P}/github-webhook-secret`, `${P}/slack-signing-secret`]]);
  });

  it('prefers the plain variable and then asks SSM nothing', async () => {
    expect(await readSecret({ GITHUB_WEBHOOK_SECRET: 'local' }, 'GITHUB_WEBHOOK_SECRET')).toBe('local');
    expect(ssm.requests).toHaveLength(0);
  });

  it('returns undefined for a secret configured neither way, and requireSecret names it', async () => {
    expect(await readSecret(env, 'SLACK_BOT_TOKEN')).toBeUndefined();
    await expect(requireSecret(env, 'SLACK_BOT_TOKEN', 'set SLACK_BOT_TOKEN_PARAM')).rejects.toBeInstanceOf(MissingEnvironmentVariable);
  });

  it('names a missing parameter, the variable that names it and the command that creates it; the others still read', async () => {
    // Prepare
    const withMissing = { ...env, SLACK_BOT_TOKEN_PARAM: `${P}/slack-bot-token` };

    // Act
    const reading = readSecret(withMissing, 'SLACK_BOT_TOKEN');

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ConfigError);
    await expect(reading).rejects.toThrow(`SLACK_BOT_TOKEN_PARAM: SSM parameter not found in eu-west-1: ${P}/slack-bot-token`);
    await expect(reading).rejects.toThrow(`aws ssm put-parameter --region eu-west-1 --type SecureString --name ${P}/slack-bot-token`);
    expect(await readSecret(withMissing, 'GITHUB_WEBHOOK_SECRET')).toBe('webhook-secret-value');
    expect(ssm.calls()).toHaveLength(1);
  });

  it('reads a kubeconfig the environment does not name with a call of its own', async () => {
    await preloadParameters(env);
    expect(await readParameter(`${P}/kubeconfig/stage`, env)).toBe('apiVersion: v1');
    expect(ssm.calls()).toEqual([expect.any(Array), [`${P}/kubeconfig/stage`]]);
  });

  it('names the variable when the function has no AWS credentials, and shows no credential', async () => {
    // Prepare
    const { AWS_ACCESS_KEY_ID: _, ...withoutKey } = env;

    // Act
    const reading = readSecret(withoutKey, 'GITHUB_WEBHOOK_SECRET');

    // Assess
    await expect(reading).rejects.toThrow(/AWS_ACCESS_KEY_ID is not set/);
    const message = String(await reading.catch((err: unknown) => err));
    expect(message).not.toContain(FAKE_AWS_KEY.secretAccessKey);
  });
});
