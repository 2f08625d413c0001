import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleFluxEvent } from '../../functions/flux-events';
import { handleGithubWebhook } from '../../functions/github-webhook';
import { clearParameterCache } from '../../lib/adapters/secrets';
import { createRuntime } from '../../functions/compose/create-runtime';
import { fakeAwsEnv } from '../fakes/aws-signature';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';
import { FLUX_TOKEN, fluxFixture, signedFluxEvent } from '../helpers/flux-requests';
import { githubDeliveryEvent } from '../helpers/github-payloads';
import { SECRETS, useWorld } from '../helpers/world';

const P = '/fluxline/prod';

/**
 * The deployed form of the world's environment (serverless.yml): every secret and the config named by
 * an SSM parameter, none in the environment itself.
 */
describe('SSM parameters on a cold start', () => {
  const world = useWorld({ FLUX_WEBHOOK_TOKEN: FLUX_TOKEN });
  let ssm: FakeSsm;
  let deployed: Record<string, string>;

  beforeAll(async () => {
    const env = world().env;
    ssm = await startFakeSsm({
      parameters: {
        [`${P}/config`]: { value: readFileSync(env.FLUXLINE_CONFIG ?? '', 'utf8'), type: 'String' },
        [`${P}/github-webhook-secret`]: SECRETS.webhook,
        [`${P}/github-private-key`]: env.GITHUB_PRIVATE_KEY ?? '',
        [`${P}/slack-bot-token`]: SECRETS.slackToken,
        [`${P}/flux-webhook-token`]: FLUX_TOKEN,
      },
    });
  });
  afterAll(() => ssm.stop());
  beforeEach(() => {
    clearParameterCache();
    ssm.requests.length = 0;
    const { FLUX_WEBHOOK_TOKEN: _f, GITHUB_WEBHOOK_SECRET: _w, GITHUB_PRIVATE_KEY: _k, SLACK_BOT_TOKEN: _s, SLACK_SIGNING_SECRET: _g, ...plain } = world().env;
    // A new object each time: runtimeFor keeps one runtime per environment, as a container does.
    deployed = { ...plain, ...fakeAwsEnv({ ssm: ssm.url }), FLUXLINE_CONFIG: `ssm:${P}/config`, SLACK_BOT_TOKEN_PARAM: `${P}/slack-bot-token` };
  });

  it('the Flux events function reads its token, config and bot token in one GetParameters call', async () => {
    // Prepare
    const env = { ...deployed, FLUX_WEBHOOK_TOKEN_PARAM: `${P}/flux-webhook-token` };

    // Act
    const response = await handleFluxEvent(signedFluxEvent('prod', fluxFixture('helmrelease-upgrade-succeeded')), { env });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ssm.calls()).toEqual([[`${P}/config`, `${P}/flux-webhook-token`, `${P}/slack-bot-token`]]);
  });

  it('the webhook function reads only its secret, in one call: the ack path needs nothing else', async () => {
    // Prepare: the webhook function's environment in serverless.yml names its secret and its queue only.
    const { FLUXLINE_CONFIG: _c, SLACK_BOT_TOKEN_PARAM: _t, ...lean } = deployed;
    const env = { ...lean, GITHUB_WEBHOOK_SECRET_PARAM: `${P}/github-webhook-secret` };

    // Act
    const response = await handleGithubWebhook(githubDeliveryEvent('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }, { secret: SECRETS.webhook }), env);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ssm.calls()).toEqual([[`${P}/github-webhook-secret`]]);
  });

  it('the deliveries consumer reads its config, bot token and App key in one call', async () => {
    // Prepare
    const env = { ...deployed, GITHUB_PRIVATE_KEY_PARAM: `${P}/github-private-key` };

    // Act
    await (await createRuntime(env, { jobs: { send: () => Promise.resolve(), idle: () => Promise.resolve() } })).github();

    // Assess
    expect(ssm.calls()).toEqual([[`${P}/config`, `${P}/github-private-key`, `${P}/slack-bot-token`]]);
  });

  it('answers 500 naming the missing parameter and how to create it, without calling SSM per read', async () => {
    // Prepare
    const env = { ...deployed, FLUX_WEBHOOK_TOKEN_PARAM: `${P}/flux-token-typo` };

    // Act
    const response = await handleFluxEvent(signedFluxEvent('prod', fluxFixture('helmrelease-upgrade-succeeded')), { env });

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).toContain(`FLUX_WEBHOOK_TOKEN_PARAM: SSM parameter not found in eu-west-1: ${P}/flux-token-typo`);
    expect(response.body).toContain('aws ssm put-parameter');
    expect(ssm.calls()).toHaveLength(1);
  });
});
