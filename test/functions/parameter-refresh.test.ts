import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runtimeFor } from '../../functions/compose/runtime';
import { redeliveryDepsFor } from '../../functions/compose/redelivery-deps';
import { handleSlackRequest } from '../../functions/slack';
import { clearParameterCache } from '../../lib/adapters/secrets';
import { fakeAwsEnv } from '../fakes/aws-signature';
import { generateAppKeyPair } from '../fakes/github/apps';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';
import { signedSlackEvent, slashCommandBody } from '../helpers/slack-requests';

const P = '/fluxline/prod';
const OLD_TOKEN = 'xoxb-before-rotation';
const NEW_TOKEN = 'xoxb-after-rotation';
const SIGNING = 'signing-secret-for-refresh';
const configFor = (admin: string, clusters = ['stage', 'prod']) =>
  [`slack: { channel: C0FLUX, admins: [${admin}] }`, 'clusters:', ...clusters.map((name) => `  ${name}: { kubeconfig: { file: /dev/null } }`)].join('\n');
/** README "Deploying" step 5: a warm function sees a changed parameter within 5 minutes. */
const PAST_THE_CACHE_MS = 5 * 60_000 + 1;
const APP_KEY = generateAppKeyPair().privateKey;

/**
 * A warm container, parameters changed under it: the rotated bot token, a new config.yaml and a new App
 * id are used once the cache expires, without a cold start (the same environment object, as a container
 * keeps it, and the same module state).
 */
describe('parameters refresh in a warm container', () => {
  let ssm: FakeSsm;
  let slack: FakeSlack;
  let env: Record<string, string>;

  beforeAll(async () => {
    ssm = await startFakeSsm();
    slack = await startFakeSlack({ token: OLD_TOKEN });
  });
  afterAll(async () => {
    await Promise.all([ssm.stop(), slack.stop()]);
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    clearParameterCache();
    slack.rotateToken(OLD_TOKEN);
    ssm.put(`${P}/slack-bot-token`, OLD_TOKEN);
    ssm.put(`${P}/slack-signing-secret`, SIGNING);
    ssm.put(`${P}/config`, { value: configFor('U0FIRST'), type: 'String' });
    ssm.put(`${P}/github-app-id`, { value: '111', type: 'String' });
    ssm.put(`${P}/github-private-key`, APP_KEY);
    ssm.requests.length = 0;
    env = {
      ...fakeAwsEnv({ ssm: ssm.url }),
      TABLE_NAME: 'fluxline-refresh',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      SLACK_API_URL: slack.url,
      FLUXLINE_CONFIG: `ssm:${P}/config`,
      SLACK_BOT_TOKEN_PARAM: `${P}/slack-bot-token`,
    };
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('posts with the rotated Slack bot token once the cache expires, without a cold start', async () => {
    // Prepare
    await (await runtimeFor(env)).slack.postMessage({ channel: 'C0FLUX', text: 'before' });
    ssm.put(`${P}/slack-bot-token`, NEW_TOKEN);
    slack.rotateToken(NEW_TOKEN);

    // Act
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS);
    await (await runtimeFor(env)).slack.postMessage({ channel: 'C0FLUX', text: 'after' });

    // Assess
    expect(slack.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['before', 'after']));
    // One GetParameters per refresh: the function's whole group, as on the cold start.
    expect(ssm.calls()).toEqual([
      [`${P}/config`, `${P}/slack-bot-token`],
      [`${P}/config`, `${P}/slack-bot-token`],
    ]);
  });

  it('keeps the token and config it has until the cache expires', async () => {
    // Prepare
    const first = await runtimeFor(env);
    ssm.put(`${P}/config`, { value: configFor('U0SECOND'), type: 'String' });

    // Act
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS - 2);
    const second = await runtimeFor(env);

    // Assess
    expect(second).toBe(first);
    expect(second.config.slack.admins).toEqual(['U0FIRST']);
    expect(ssm.calls()).toHaveLength(1);
  });

  it('applies a changed config.yaml after the cache expires, and keeps the same runtime when nothing changed', async () => {
    // Prepare
    const first = await runtimeFor(env);
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS);
    const unchanged = await runtimeFor(env);
    ssm.put(`${P}/config`, { value: configFor('U0SECOND'), type: 'String' });

    // Act
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS);
    const changed = await runtimeFor(env);

    // Assess
    expect(unchanged).toBe(first);
    expect(changed.config.slack.admins).toEqual(['U0SECOND']);
  });

  it('keeps answering with what it has when the refresh fails, and says so', async () => {
    // Prepare
    const first = await runtimeFor(env);
    ssm.put(`${P}/config`, { value: 'slack: [not, a, mapping]', type: 'String' });

    // Act
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS);
    const during = await runtimeFor(env);

    // Assess
    expect(during).toBe(first);
  });

  it('lets the Slack ingress answer from a changed config.yaml after the cache expires', async () => {
    // Prepare
    const ingress: Record<string, string> = { ...env, SLACK_SIGNING_SECRET_PARAM: `${P}/slack-signing-secret` };
    const { SLACK_BOT_TOKEN_PARAM: _t, ...lean } = ingress;
    const getKustomizations = () => handleSlackRequest(signedSlackEvent('/slack/commands', slashCommandBody('get kustomizations'), { secret: SIGNING }), { env: lean });
    const before = await getKustomizations();
    ssm.put(`${P}/config`, { value: configFor('U0FIRST', ['stage', 'qa']), type: 'String' });

    // Act
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS);
    const after = await getKustomizations();

    // Assess: "Which cluster?" lists the clusters config.yaml knows.
    expect(String(before.body)).toMatch(/known clusters: `stage`, `prod`/);
    expect(String(after.body)).toMatch(/known clusters: `stage`, `qa`/);
  });

  it('reads the App id and key again for the redelivery sweep once the cache expires', async () => {
    // Prepare
    const sweep: Record<string, string> = { ...env, GITHUB_APP_ID_PARAM: `${P}/github-app-id`, GITHUB_PRIVATE_KEY_PARAM: `${P}/github-private-key` };
    const { FLUXLINE_CONFIG: _c, SLACK_BOT_TOKEN_PARAM: _s, ...lean } = sweep;
    const before = await redeliveryDepsFor(lean);
    ssm.put(`${P}/github-app-id`, { value: '222', type: 'String' });

    // Act
    vi.setSystemTime(Date.now() + PAST_THE_CACHE_MS);
    const after = await redeliveryDepsFor(lean);

    // Assess
    expect([before.appId, after.appId]).toEqual(['111', '222']);
  });
});
