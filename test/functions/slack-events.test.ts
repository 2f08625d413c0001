import { commandTextOf } from '../../lib/flows/interactions';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleSlackRequest } from '../../functions/slack';
import { jobIdFor } from '../../lib/flows/jobs';
import { deployment, GITOPS_REPOSITORY, useDay2World } from '../helpers/day2-world';
import { appMentionBody, BOT_USER, signedSlackEvent, type MentionOptions } from '../helpers/slack-requests';
import { SECRETS } from '../helpers/world';
import { GITOPS_FILES } from '../promote/gitops-fixture';

const RELEASE_PATH = 'clusters/production/podinfo/release.yaml';
const THREAD = '1765080000.000100';

describe('POST /slack/events: @fluxline mentions', () => {
  const { world, stage, prod } = useDay2World();

  beforeAll(() => {
    stage().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/version': '7.0.0' }, image: 'ghcr.io/stefanprodan/podinfo:7.0.0' }));
    prod().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/version': '6.5.3' }, image: 'ghcr.io/stefanprodan/podinfo:6.5.3' }));
  });

  beforeEach(() => {
    world().github.git.seed(GITOPS_REPOSITORY, 'main', GITOPS_FILES);
    world().github.git.commits.length = 0;
  });

  const post = (body: string, sign: { secret?: string; timestamp?: number; retryNum?: number } = {}, options: { nowMilliseconds?: () => number } = {}) =>
    handleSlackRequest(signedSlackEvent('/slack/events', body, { secret: SECRETS.signing, ...sign }), { env: world().env, ...options });

  /** Posts a mention, lets every queue settle, and returns the answer and the thread's messages. */
  async function mention(text: string, options: MentionOptions = {}, sign: { retryNum?: number } = {}) {
    // The person's message is in the channel (Slack refuses a reply to a thread that does not exist).
    const { slack } = world();
    const channel = options.channel ?? 'C0FLUX';
    const ts = options.ts ?? `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    if (options.threadTs && !slack.messages.some((m) => m.ts === options.threadTs)) slack.addMessage({ channel, text: 'podinfo 7.0.0 looks good on stage', ts: options.threadTs });
    if (!slack.messages.some((m) => m.ts === ts)) slack.addMessage({ channel, text, ts, ...(options.threadTs ? { threadTs: options.threadTs } : {}) });
    options = { ...options, ts };
    const before = slack.messages.length;
    const response = await post(appMentionBody(text, options), sign);
    await world().settle();
    return { response, posted: world().slack.messages.slice(before) };
  }

  describe('the ack path', () => {
    it('answers the url_verification challenge Slack sends when the Request URL is saved', async () => {
      const response = await post(JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' }));

      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body ?? '{}')).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    });

    it('rejects a bad signature with 401 and runs nothing', async () => {
      const { response, posted } = await (async () => {
        const before = world().slack.messages.length;
        const r = await post(appMentionBody(`<@${BOT_USER}> list`), { secret: 'not-the-secret' });
        await world().settle();
        return { response: r, posted: world().slack.messages.slice(before) };
      })();

      expect(response.statusCode).toBe(401);
      expect(posted).toEqual([]);
    });

    it('rejects a correctly signed event replayed after 5 minutes', async () => {
      const timestamp = Math.floor(Date.now() / 1000);

      const response = await post(appMentionBody(`<@${BOT_USER}> list`), { timestamp }, { nowMilliseconds: () => (timestamp + 301) * 1000 });

      expect(response.statusCode).toBe(401);
      expect(response.body).toMatch(/older than 5 minutes/);
    });

    it('answers 413 to a body over 1 MiB before verifying or reading it', async () => {
      const response = await post(appMentionBody(`<@${BOT_USER}> ${'x'.repeat(1024 * 1024)}`));
      expect(response.statusCode).toBe(413);
    });

    it('answers 400 to a signed body that is not an Events API envelope', async () => {
      const response = await post('{"type":"block_actions"}');
      expect(response.statusCode).toBe(400);
    });

    it('acknowledges at once, before anything is posted, and leaves the answer to the queue consumer', async () => {
      const before = world().slack.requests.length;

      const response = await post(appMentionBody(`<@${BOT_USER}> help`));

      expect(response).toMatchObject({ statusCode: 200, body: '' });
      expect(world().slack.requests.length).toBe(before);
      await world().settle();
    });

    it('ignores a mention written by a bot, Fluxline included', async () => {
      const { response, posted } = await mention(`<@${BOT_USER}> promote podinfo@7.0.0 to prod`, { botId: 'B0FLUXLINE' });

      expect(response.statusCode).toBe(200);
      expect(posted).toEqual([]);
      expect(world().github.git.commits).toHaveLength(0);
    });

    it('acknowledges event types it does not handle without acting on them', async () => {
      const body = JSON.parse(appMentionBody('hello')) as { event: Record<string, unknown> };
      body.event.type = 'message';
      const { response, posted } = await (async () => {
        const before = world().slack.messages.length;
        const r = await post(JSON.stringify(body));
        await world().settle();
        return { response: r, posted: world().slack.messages.slice(before) };
      })();

      expect(response.statusCode).toBe(200);
      expect(posted).toEqual([]);
    });
  });

  describe('the command a mention spells', () => {
    it('promotes on `@fluxline promote podinfo@7.0.0 to prod` in a thread, answering in that thread', async () => {
      // Act
      const { response, posted } = await mention(`<@${BOT_USER}> promote podinfo@7.0.0 to prod`, { threadTs: THREAD });

      // Assess
      expect(response.statusCode).toBe(200);
      const { git } = world().github;
      expect(git.commits).toHaveLength(1);
      expect(git.commits[0]).toMatchObject({ branch: 'main', changed: [RELEASE_PATH] });
      expect(posted).toEqual([expect.objectContaining({ threadTs: THREAD, text: expect.stringMatching(/promoted `podinfo` on `prod` from `6\.5\.3` to `7\.0\.0`/) })]);
    });

    it('compares environments on `@fluxline diff stage` posted in a channel, answering in the mention\'s own thread', async () => {
      // Prepare
      const ts = '1765080111.000200';
      const eventId = 'Ev0DIFFSTAGE';

      // Act
      const { posted } = await mention(`<@${BOT_USER}> diff stage`, { ts, eventId });

      // Assess
      const { store } = await world().runtime();
      const job = await store.getJob(jobIdFor({ source: 'slack', key: `command:${eventId}` }));
      expect(job).toMatchObject({ kind: expect.stringMatching(/diff/i), requester: { channel: 'C0FLUX', threadTs: ts } });
      expect(posted.length).toBeGreaterThan(0);
      expect(posted.every((m) => m.threadTs === ts)).toBe(true);
    });

    it('answers an unknown command in the thread with the nearest command and the grammar', async () => {
      const ts = '1765080222.000300';

      const { posted } = await mention(`<@${BOT_USER}> lsit`, { ts });

      expect(posted).toEqual([expect.objectContaining({ channel: 'C0FLUX', threadTs: ts, text: expect.stringMatching(/Did you mean `\/flux list`/) })]);
    });

    it('refuses a non-admin as the slash command does, in the thread, and audits the refusal', async () => {
      const ts = '1765080333.000400';

      const { posted } = await mention(`<@${BOT_USER}> promote podinfo@7.0.0 to prod`, { ts, user: 'U0DEV', eventId: 'Ev0REFUSED' });

      expect(posted).toEqual([expect.objectContaining({ threadTs: ts, text: expect.stringMatching(/Only Fluxline admins may promote/) })]);
      expect(world().github.git.commits).toHaveLength(0);
      const { store } = await world().runtime();
      expect((await store.auditOfDay(new Date())).filter((e) => e.actor === 'U0DEV' && e.action === 'promote')).toEqual([expect.objectContaining({ outcome: 'refused' })]);
    });
  });

  describe('retries and duplicates', () => {
    it.each([
      ['Slack retries it (X-Slack-Retry-Num: 1)', { retryNum: 1 }],
      ['the same event_id arrives again without a retry header', {}],
    ] as [string, { retryNum?: number }][])('runs a mention once when %s', async (_, sign) => {
      // Prepare
      const options = { eventId: `Ev0ONCE${sign.retryNum ?? 0}`, ts: `176508055${sign.retryNum ?? 0}.000600` };
      await mention(`<@${BOT_USER}> promote podinfo@7.0.0 to prod`, options);
      const posts = world().slack.messages.length;

      // Act
      const { response } = await mention(`<@${BOT_USER}> promote podinfo@7.0.0 to prod`, options, sign);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(world().github.git.commits).toHaveLength(1);
      expect(world().slack.messages.length).toBe(posts);
    });
  });
});

describe('commandTextOf: the /flux text a mention spells', () => {
  it.each([
    ['<@U0FLUXBOT> promote podinfo@7.0.0 to prod', 'promote podinfo@7.0.0 to prod'],
    ['  <@U0FLUXBOT|fluxline>   diff stage ', 'diff stage'],
    ['hey <@U0FLUXBOT> list podinfo', 'list podinfo'],
    ['<@U0FLUXBOT> diff ks apps --github-ref <https://github.com/acme/fleet/pull/42>', 'diff ks apps --github-ref https://github.com/acme/fleet/pull/42'],
    ['<@U0FLUXBOT> diff ks apps --github-ref <https://github.com/acme/fleet/pull/42|acme/fleet#42>', 'diff ks apps --github-ref https://github.com/acme/fleet/pull/42'],
    ['<@U0FLUXBOT> get ks &lt;x&gt; &amp;', 'get ks <x> &'],
    ['<@U0FLUXBOT>', ''],
  ])('reads %j as %j', (text, command) => {
    expect(commandTextOf(text, 'U0FLUXBOT')).toBe(command);
  });

  it('leaves another user\'s mention in place', () => {
    expect(commandTextOf('<@U0FLUXBOT> history <@U0ALICE>', 'U0FLUXBOT')).toBe('history <@U0ALICE>');
  });
});
