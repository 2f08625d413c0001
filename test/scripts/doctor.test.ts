import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../scripts/doctor/run-doctor';
import { clearParameterCache } from '../../lib/adapters/secrets';
import { generateAppKeyPair, startFakeGithub, type FakeGithub } from '../fakes/github';
import { startFakeSlack, type FakeSlack } from '../fakes/slack';
import { startFakeSsm, type FakeSsm } from '../fakes/ssm';
import { fakeAwsEnv } from '../fakes/sqs';

const TOKEN = 'xoxb-doctor';
const P = '/fluxline/prod';
const CONFIG = `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
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

  beforeAll(async () => {
    const keys = generateAppKeyPair();
    github = await startFakeGithub({ appId: '4321', publicKey: keys.publicKey });
    github.installations.set('acme/fleet', 77);
    slack = await startFakeSlack({ token: TOKEN });
    ssm = await startFakeSsm({
      parameters: {
        [`${P}/config`]: CONFIG,
        [`${P}/github-app-id`]: { value: '4321', type: 'String' },
        [`${P}/github-private-key`]: keys.privateKey,
        [`${P}/github-webhook-secret`]: 'whsec',
        [`${P}/slack-bot-token`]: TOKEN,
        [`${P}/slack-signing-secret`]: 'signing',
        [`${P}/kubeconfig/stage`]: 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
      },
    });
  });
  afterAll(async () => {
    await Promise.all([github.stop(), slack.stop(), ssm.stop()]);
  });

  async function doctor(args: string[]) {
    clearParameterCache();
    const printed = { out: '', err: '' };
    const exit = await runDoctor(args, { env: { GITHUB_API_URL: github.url, SLACK_API_URL: slack.url, ...fakeAwsEnv({ ssm: ssm.url }) }, cwd: tmpdir(), out: (t) => (printed.out += t), err: (t) => (printed.err += t) });
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

  it('passes once they are fixed', async () => {
    // Prepare
    ssm.put(`${P}/flux-webhook-token`, 'flux');
    github.installations.set('acme/platform', 77);

    // Act
    const { exit, out } = await doctor(['--stage', 'prod']);

    // Assess
    expect(out).toMatch(/✓ parameters of stage prod present, config.yaml valid/);
    expect(out).toMatch(/All checks passed/);
    expect(exit).toBe(0);
  });

  it('says the bot token is refused', async () => {
    ssm.put(`${P}/slack-bot-token`, 'xoxb-revoked');

    const { exit, out } = await doctor(['--stage', 'prod']);

    expect(exit).toBe(1);
    expect(out).toMatch(/✗ Slack auth.test failed \(invalid_auth\)/);
    ssm.put(`${P}/slack-bot-token`, TOKEN);
  });
});
