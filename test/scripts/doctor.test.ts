import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../scripts/doctor/run-doctor';
import { clearParameterCache } from '../../lib/adapters/secrets';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { startFakeLambda, type FakeLambda } from '../fakes/lambda';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';
import { closedPort } from '../helpers/world';
import { fakeAwsEnv } from '../fakes/sqs';

const TOKEN = 'xoxb-doctor';
const P = '/fluxline/prod';
const CONFIG = `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { ssm: ${P}/kubeconfig/stage } }
repositories:
  - name: acme/fleet
    diffs: [{ kustomization: flux-system/apps, cluster: stage }]
  - name: acme/platform
gitops: { repository: acme/fleet, branch: main }
apps: { namespaces: [podinfo] }
`;

describe('npm run doctor -- --stage S', () => {
  let github: FakeGithub;
  let slack: FakeSlack;
  let ssm: FakeSsm;
  let kube: FakeKubernetes;
  let bare: FakeKubernetes;
  let lambda: FakeLambda;
  const FLUX_LAYER = 'arn:aws:lambda:eu-west-1:123456789012:layer:flux:7';

  beforeAll(async () => {
    const keys = generateAppKeyPair();
    kube = await startFakeKubernetes({ token: 'kube-token' });
    // A cluster without Flux: its API server serves no toolkit.fluxcd.io group.
    bare = await startFakeKubernetes({ token: 'kube-token', uninstalledGroups: ['kustomize.toolkit.fluxcd.io', 'source.toolkit.fluxcd.io'] });
    lambda = await startFakeLambda();
    lambda.functions.set('fluxline-prod-worker', { layers: [] });
    github = await startFakeGithub({ appId: '4321', publicKey: keys.publicKey });
    github.installations.set('acme/fleet', 77);
    slack = await startFakeSlack({ token: TOKEN, notMemberOf: ['C0STAGE'] });
    ssm = await startFakeSsm({
      parameters: {
        [`${P}/config`]: CONFIG,
        [`${P}/github-app-id`]: { value: '4321', type: 'String' },
        [`${P}/github-private-key`]: keys.privateKey,
        [`${P}/github-webhook-secret`]: 'whsec',
        [`${P}/slack-bot-token`]: TOKEN,
        [`${P}/slack-signing-secret`]: 'signing',
        [`${P}/kubeconfig/stage`]: kube.kubeconfigYaml(),
        [`${P}/kubeconfig/bare`]: bare.kubeconfigYaml(),
        [`${P}/kubeconfig/down`]: kube.kubeconfigYaml().replace(kube.url, `http://127.0.0.1:${await closedPort()}`),
      },
    });
  });
  afterAll(async () => {
    await Promise.all([github.stop(), slack.stop(), ssm.stop(), kube.stop(), bare.stop(), lambda.stop()]);
  });

  async function doctor(args: string[]) {
    clearParameterCache();
    const printed = { out: '', err: '' };
    const exit = await runDoctor(args, { env: { GITHUB_API_URL: github.url, SLACK_API_URL: slack.url, ...fakeAwsEnv({ ssm: ssm.url }), AWS_ENDPOINT_URL_LAMBDA: lambda.url }, cwd: tmpdir(), out: (t) => (printed.out += t), err: (t) => (printed.err += t) });
    return { exit, out: printed.out };
  }

  it('says what to fix: a missing parameter, and a repository the App is not installed on', async () => {
    // Act
    const { exit, out } = await doctor(['--stage', 'prod']);

    // Assess
    expect(exit).toBe(1);
    expect(out).toMatch(/✗ .*\/fluxline\/prod\/flux-webhook-token/);
    expect(out).toContain('✓ Slack: the bot token is fluxline in Fluxline Test');
    expect(out).toContain('✓ GitHub: the App is installed on acme/fleet');
    expect(out).toMatch(/✗ GitHub: the App is not installed on acme\/platform: install it/);
    expect(out).not.toContain('BEGIN RSA PRIVATE KEY');
  });

  it('says which configured channel the bot is not in', async () => {
    const { exit, out } = await doctor(['--stage', 'prod']);

    expect(exit).toBe(1);
    expect(out).toContain('✓ Slack: the bot is in C0FLUX');
    expect(out).toMatch(/✗ Slack: the bot is not in C0STAGE: invite it there/);
  });

  it('says the worker has no flux layer, and how to deploy one', async () => {
    const { out } = await doctor(['--stage', 'prod']);

    expect(out).toMatch(/✗ the worker fluxline-prod-worker has no flux layer: build it \(node infra\/flux-layer\/build.mjs\) or set FLUX_LAYER_ARN, then npx serverless deploy --stage prod/);
  });

  it('says when the stage has no worker function in the region', async () => {
    const { out } = await doctor(['--stage', 'staging']);

    expect(out).toMatch(/✗ no function fluxline-staging-worker in eu-west-1: deploy the stage \(npx serverless deploy --stage staging\), or set AWS_REGION/);
  });

  it('says which cluster does not answer and which lacks the Flux CRDs', async () => {
    // Prepare
    ssm.put(`${P}/config`, `${CONFIG}`.replace('clusters:\n', `clusters:\n  bare: { kubeconfig: { ssm: ${P}/kubeconfig/bare } }\n  down: { kubeconfig: { ssm: ${P}/kubeconfig/down } }\n`));

    // Act
    const { exit, out } = await doctor(['--stage', 'prod']);
    ssm.put(`${P}/config`, CONFIG);

    // Assess
    expect(exit).toBe(1);
    expect(out).toContain(`✓ cluster stage answers at ${kube.url} and serves the Flux APIs`);
    expect(out).toMatch(/✗ cluster bare does not serve kustomizations.kustomize.toolkit.fluxcd.io\/v1, gitrepositories.source.toolkit.fluxcd.io\/v1: install Flux/);
    expect(out).toMatch(/✗ cluster down is unreachable at 127.0.0.1:\d+: .*check the server URL/);
  });

  it('passes once they are fixed', async () => {
    // Prepare
    ssm.put(`${P}/flux-webhook-token`, 'flux');
    github.installations.set('acme/platform', 77);
    slack.invite('C0STAGE');
    lambda.functions.set('fluxline-prod-worker', { layers: [FLUX_LAYER] });

    // Act
    const { exit, out } = await doctor(['--stage', 'prod']);

    // Assess
    expect(out).toMatch(/✓ parameters of stage prod present, config.yaml valid/);
    expect(out).toContain('✓ Slack: the bot is in C0STAGE');
    expect(out).toContain(`✓ the worker fluxline-prod-worker has the flux layer (${FLUX_LAYER})`);
    expect(out).toMatch(/All checks passed/);
    expect(exit).toBe(0);
  });

  it('without --stage reads .env as npm start does, the shell winning', async () => {
    // Prepare: a clone with the .env that the setup commands and the user wrote
    const cwd = mkdtempSync(join(tmpdir(), 'fluxline-doctor-'));
    writeFileSync(join(cwd, '.env'), `SLACK_BOT_TOKEN=${TOKEN}\nSLACK_API_URL=http://127.0.0.1:9/api/\n`);
    const printed = { out: '', err: '' };

    // Act
    await runDoctor([], { env: { SLACK_API_URL: slack.url }, cwd, out: (t) => (printed.out += t), err: (t) => (printed.err += t) });

    // Assess
    expect(printed.out).toContain('✓ Slack: the bot token is fluxline in Fluxline Test');
    expect(printed.out).not.toMatch(/SLACK_BOT_TOKEN is not set/);
  });

  it('says the bot token is refused', async () => {
    ssm.put(`${P}/slack-bot-token`, 'xoxb-revoked');

    const { exit, out } = await doctor(['--stage', 'prod']);

    expect(exit).toBe(1);
    expect(out).toMatch(/✗ Slack auth.test failed \(invalid_auth\)/);
    ssm.put(`${P}/slack-bot-token`, TOKEN);
  });
});
