// An HTTP executor end to end (issue #19), through the same handlers as a deployment: a slash command in
// a bound channel, the Slack consumer, the jobs queue, the worker, a real local server that verifies the
// signature as a team's executor would, and the answer in Slack. The secret comes from the environment,
// as `npm start` gives it (`secret: { env }`), not from SSM.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startFakeExecutorEndpoint, type FakeExecutorEndpoint } from '../fakes/executor-endpoint';
import { handleSlackRequest } from '../../functions/slack';
import { appMentionBody, BOT_USER, signedSlackEvent } from '../helpers/slack-requests';
import { SECRETS, startWorld, type World } from '../helpers/world';

const SECRET = 'runbooks-shared-secret-from-the-environment-0123';
const HOSTILE = 'Restarted api <!channel> <https://evil.example|log in again> & <@U0ADMIN>';

const configYaml = (url: string) => `
slack:
  channel: C0FLUX
  admins: [U0ADMIN]
  channels:
    C0STAGE: { clusters: [stage], executors: [runbooks] }
    C0OTHER: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
repositories: []
executors:
  # No \`mutating: false\`: Fluxline cannot know what unknown code changes, so admins only, audited.
  runbooks: { http: { url: "${url}", secret: { env: FLUXLINE_EXECUTOR_RUNBOOKS }, description: 'restarts things.' }, config: { team: sre } }
`;

const replyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}') as { response_type?: string; text?: string };

describe('/flux runbooks … reaching a local HTTP executor', () => {
  let endpoint: FakeExecutorEndpoint;
  let world: World;

  beforeAll(async () => {
    endpoint = await startFakeExecutorEndpoint(SECRET);
    // A hostile answer: Slack control sequences, and the shared secret echoed back.
    endpoint.answer((request, res) =>
      request.signatureValid ? json(res, 200, { blocks: [{ type: 'section', text: HOSTILE }, { type: 'code', text: `signed with ${SECRET}` }] }) : json(res, 401, { error: 'bad signature' }),
    );
    const config = join(mkdtempSync(join(tmpdir(), 'fluxline-executor-world-')), 'config.yaml');
    writeFileSync(config, configYaml(endpoint.url));
    world = await startWorld({ FLUXLINE_CONFIG: config, FLUXLINE_EXECUTOR_RUNBOOKS: SECRET });
  });

  afterAll(async () => {
    await world.settle();
    await Promise.all([world.stop(), endpoint.stop()]);
  });

  it("runs for an admin in a bound channel: the executor gets a signed request with the words typed, and the answer lands in Slack escaped and without the secret", async () => {
    // Act
    const reply = replyOf(await world.command('runbooks restart api', { channel: 'C0STAGE', user: 'U0ADMIN' }));
    await world.settle();

    // Assess: the executor saw one valid, signed request with what was typed
    expect(reply.text ?? '').not.toMatch(/only Fluxline admins|not bound/);
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0]?.signatureValid).toBe(true);
    expect(JSON.parse(endpoint.received[0]?.body ?? '{}')).toMatchObject({ executor: 'runbooks', args: ['restart', 'api'], configs: [{ team: 'sre' }], requester: { user: 'U0ADMIN' }, channel: 'C0STAGE' });
    // Assess: the answer is in the channel, escaped, the secret masked
    const shown = JSON.stringify(world.slack.messages.filter((m) => m.channel === 'C0STAGE'));
    expect(shown).toContain('Restarted api &lt;!channel&gt;');
    expect(shown).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(shown).not.toContain(SECRET);
    expect(shown).toContain('[redacted]');
    const audit = await (await world.runtime()).store.auditOfDay(new Date());
    expect(audit.filter((a) => a.actor === 'U0ADMIN' && a.action === 'runbooks restart api').map((a) => a.outcome)).toContain('succeeded');
  });

  it('refuses a non-admin the mutating executor before anything reaches it, and audits the refusal', async () => {
    // Prepare
    const before = endpoint.received.length;

    // Act
    const reply = replyOf(await world.command('runbooks restart api', { channel: 'C0STAGE', user: 'U0DEV' }));
    await world.settle();

    // Assess
    expect(reply.text).toMatch(/only Fluxline admins/);
    expect(endpoint.received).toHaveLength(before);
    const audit = await (await world.runtime()).store.auditOfDay(new Date());
    expect(audit.filter((a) => a.actor === 'U0DEV' && a.action === 'runbooks restart api').map((a) => a.outcome)).toEqual(['refused']);
  });

  it('refuses it in a channel that does not bind it, even to an admin', async () => {
    // Prepare
    const before = endpoint.received.length;

    // Act
    const reply = replyOf(await world.command('runbooks restart api', { channel: 'C0OTHER', user: 'U0ADMIN' }));
    await world.settle();

    // Assess
    expect(reply.text).toMatch(/`runbooks` is not available in this channel\. No executors are bound to it\./);
    expect(endpoint.received).toHaveLength(before);
  });

  describe('through a mention, in the mention’s thread', () => {
    const THREAD = '1765080000.000200';

    /** `@fluxline …` in a thread of C0STAGE, by an admin; the thread's messages once every queue settled. */
    async function mention(text: string) {
      world.slack.addMessage({ channel: 'C0STAGE', text: 'api is slow again', ts: THREAD });
      const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
      world.slack.addMessage({ channel: 'C0STAGE', text, ts, threadTs: THREAD });
      const before = world.slack.messages.length;
      const response = await handleSlackRequest(signedSlackEvent('/slack/events', appMentionBody(text, { channel: 'C0STAGE', user: 'U0ADMIN', ts, threadTs: THREAD }), { secret: SECRETS.signing }), { env: world.env });
      await world.settle();
      expect(response.statusCode).toBe(200);
      return world.slack.messages.slice(before).filter((m) => m.channel === 'C0STAGE' && m.threadTs === THREAD);
    }

    it('answers `@fluxline runbooks restart api` with the executor’s blocks in that thread', async () => {
      // Act
      const thread = await mention(`<@${BOT_USER}> runbooks restart api`);

      // Assess: the executor's answer (its blocks, escaped and masked) in the thread, not only a text line
      const withBlocks = thread.filter((m) => (m.blocks?.length ?? 0) > 0);
      expect(JSON.stringify(withBlocks)).toContain('Restarted api &lt;!channel&gt;');
      expect(JSON.stringify(thread)).not.toContain(SECRET);
    });

    it('answers `@fluxline help runbooks` with its own help as blocks in that thread', async () => {
      const thread = await mention(`<@${BOT_USER}> help runbooks`);

      expect(thread).toHaveLength(1);
      expect(JSON.stringify(thread[0]?.blocks ?? [])).toContain('help` asks it for its own help');
    });
  });
});
