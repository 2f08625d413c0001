import { describe, expect, it } from 'vitest';
import { handleSlackRequest } from '../../functions/slack';
import { encodeAction } from '../../lib/core/commands';
import { ACTIONS } from '../../lib/adapters/slack';
import { blockActionsBody, signedSlackEvent, slashCommandBody } from '../helpers/slack-requests';
import { SECRETS, useWorld } from '../helpers/world';

const replyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}') as { response_type?: string; text?: string; error?: string };

describe('POST /slack/commands and /slack/interactions', () => {
  const world = useWorld();

  const jobsOf = async (number: number) => (await world().runtime()).store.listJobsOfPullRequest('acme/fleet', number);
  const diffButton = (notice: { buttons: { actionId: string; value: string; label: string }[] }, cluster = 'stage', ks = 'flux-system/apps') => {
    const button = notice.buttons.find((b) => b.label === `Flux diff: ${ks} @ ${cluster}`);
    if (!button) throw new Error(`no Flux diff button for ${ks} @ ${cluster}: ${notice.buttons.map((b) => b.label).join(', ')}`);
    return button;
  };

  describe('request verification', () => {
    it('rejects a bad signature with 401 and queues nothing', async () => {
      const event = signedSlackEvent('/slack/commands', slashCommandBody('help'), { secret: 'not-the-secret' });
      expect((await handleSlackRequest(event, { env: world().env })).statusCode).toBe(401);
    });

    it('rejects a missing signature with 401', async () => {
      const event = signedSlackEvent('/slack/commands', slashCommandBody('help'), { secret: SECRETS.signing, signature: null });
      expect((await handleSlackRequest(event, { env: world().env })).statusCode).toBe(401);
    });

    it('rejects a correctly signed request replayed after 5 minutes', async () => {
      // Prepare: signed at t, replayed at t + 5 min 1 s
      const timestamp = Math.floor(Date.now() / 1000);
      const event = signedSlackEvent('/slack/commands', slashCommandBody('help'), { secret: SECRETS.signing, timestamp });

      // Act
      const response = await handleSlackRequest(event, { env: world().env, nowMilliseconds: () => (timestamp + 301) * 1000 });

      // Assess
      expect(response.statusCode).toBe(401);
      expect(replyOf(response).error).toMatch(/older than 5 minutes/);
    });

    it('accepts a base64-encoded body, verified on its decoded bytes', async () => {
      const event = signedSlackEvent('/slack/commands', slashCommandBody('help'), { secret: SECRETS.signing, base64: true });
      expect((await handleSlackRequest(event, { env: world().env })).statusCode).toBe(200);
    });

    it('fails closed when no signing secret is configured', async () => {
      const { SLACK_SIGNING_SECRET: _, ...env } = world().env;
      const response = await handleSlackRequest(signedSlackEvent('/slack/commands', slashCommandBody('help'), { secret: SECRETS.signing }), { env });
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain(SECRETS.signing);
    });

    it.each([
      ['/slack/interactions', 'payload=%7Bnot-json', /payload is not JSON/],
      ['/slack/interactions', 'nothing=here', /missing payload field/],
      ['/slack/commands', 'text=help', /^not a Slack slash command: \w+: /],
    ] as const)('answers 400 with a one-line reason to a malformed %s body', async (path, body, reason) => {
      const response = await handleSlackRequest(signedSlackEvent(path, body, { secret: SECRETS.signing }), { env: world().env });
      expect(response.statusCode).toBe(400);
      expect(replyOf(response).error).toMatch(reason);
      expect(replyOf(response).error).not.toContain('\n');
    });
  });

  describe('slash commands', () => {
    it('answers /flux help with the grammar, privately', async () => {
      const reply = replyOf(await world().command('help'));
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toContain('/flux diff ks NAME --github-ref');
    });

    it('answers an unknown command with the closest one', async () => {
      const reply = replyOf(await world().command('promte podinfo@1.2.3 to prod'));
      expect(reply.text).toMatch(/Did you mean `\/flux promote`\?/);
    });

    it('refuses connection flags that would redirect flux to other credentials', async () => {
      const reply = replyOf(await world().command('diff ks apps --github-ref 1 --kubeconfig /tmp/x'));
      expect(reply.text).toMatch(/Unknown option `--kubeconfig`/);
      expect(await jobsOf(1)).toHaveLength(0);
    });

    it('queues a diff from /flux diff ks and acknowledges it in the channel', async () => {
      // Prepare
      const pr = await world().openPullRequest('changes drifted-service');

      // Act
      const response = await world().command(`diff ks apps --github-ref ${pr.number} --cluster stage`);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(replyOf(response)).toMatchObject({ response_type: 'in_channel', text: expect.stringContaining(`Diff of \`flux-system/apps\` on \`stage\` for acme/fleet#${pr.number} queued by <@U0ADMIN>`) });
      expect(await jobsOf(pr.number)).toHaveLength(1);
      await world().settle();
    });

    it('starts one job when Slack retries the same slash command', async () => {
      const pr = await world().openPullRequest('no-changes');
      const triggerId = `trigger-${pr.number}`;

      await world().command(`diff ks apps --github-ref ${pr.number} --cluster stage`, { triggerId });
      const retried = await world().command(`diff ks apps --github-ref ${pr.number} --cluster stage`, { triggerId, retryNum: 1 });

      expect(retried.statusCode).toBe(200);
      expect(await jobsOf(pr.number)).toHaveLength(1);
      await world().settle();
    });

    it('asks which cluster when the Kustomization is diffed on several', async () => {
      const pr = await world().openPullRequest('no-changes');
      const reply = replyOf(await world().command(`diff ks apps --github-ref ${pr.number}`));
      expect(reply.text).toMatch(/Which cluster\? Add `--cluster <name>`/);
      expect(await jobsOf(pr.number)).toHaveLength(0);
    });

    it('finds the repository of a bare PR number from the diff targets, and says when none diffs it', async () => {
      const reply = replyOf(await world().command('diff ks unknown-ks --github-ref 5 --cluster stage'));
      expect(reply.text).toMatch(/No configured repository diffs `flux-system\/unknown-ks` on `stage`/);
    });

    it('keeps a bound channel to its clusters', async () => {
      const pr = await world().openPullRequest('no-changes');
      const reply = replyOf(await world().command(`diff ks apps --github-ref ${pr.number} --cluster prod`, { channel: 'C0STAGE' }));
      expect(reply.text).toMatch(/This channel may use `stage` only, not `prod`/);
      expect(await jobsOf(pr.number)).toHaveLength(0);
    });
  });

  describe('buttons', () => {
    it('queues one diff for a click, says so in the PR thread, and ignores Slack’s retry of it', async () => {
      // Prepare
      const pr = await world().openPullRequest('changes drifted-service');
      const button = diffButton(pr);
      const click = { actionId: button.actionId, value: button.value, messageTs: pr.ts, actionTs: '1700000000.000100' };

      // Act
      const first = await world().click(click);
      const retry = await world().click(click, { retryNum: 1 });
      await world().settle();

      // Assess
      expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
      expect(await jobsOf(pr.number)).toHaveLength(1);
      const thread = world().slack.messages.filter((m) => m.threadTs === pr.ts);
      expect(thread.filter((m) => m.text.includes('queued by'))).toHaveLength(1);
    });

    it('starts one diff when two people click at once, and tells the second it is running', async () => {
      const pr = await world().openPullRequest('changes drifted-service');
      const button = diffButton(pr);

      await Promise.all([
        world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN', actionTs: '1700000000.000201' }),
        world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0BOB', userName: 'bob', actionTs: '1700000000.000202' }),
      ]);
      await world().settle();

      expect(await jobsOf(pr.number)).toHaveLength(1);
      expect(world().slack.ephemerals.filter((e) => e.text.includes('already queued or running'))).toHaveLength(1);
    });

    it('refuses a click from a channel not bound to the cluster, privately', async () => {
      const pr = await world().openPullRequest('no-changes');
      const value = encodeAction({ type: 'flux-diff', repository: 'acme/fleet', number: pr.number, kustomization: 'flux-system/apps', cluster: 'prod' });

      await world().click({ actionId: `${ACTIONS.fluxDiff}:0`, value, messageTs: pr.ts, channel: 'C0STAGE', user: 'U0CAROL' });

      expect(await jobsOf(pr.number)).toHaveLength(0);
      expect(world().slack.ephemerals.at(-1)).toMatchObject({ user: 'U0CAROL', text: expect.stringMatching(/may use `stage` only/) });
    });

    it('refuses Approve from someone who is not an approver, and approves nothing', async () => {
      const value = encodeAction({ type: 'approve', jobId: 'slack-000000000000000000000000' });

      const response = await world().click({ actionId: `${ACTIONS.approvePr}:x`, value, messageTs: '1700000000.000300', user: 'U0MALLORY' });

      expect(response.statusCode).toBe(200);
      expect(world().slack.ephemerals.at(-1)).toMatchObject({ user: 'U0MALLORY', text: expect.stringMatching(/Only Fluxline approvers/) });
      expect(world().github.reviews).toHaveLength(0);
    });

    it('tells the user when a button value was not written by Fluxline', async () => {
      await world().click({ actionId: `${ACTIONS.fluxDiff}:0`, value: '{"v":1,"type":"run","command":"rm -rf /"}', messageTs: '1700000000.000400', user: 'U0EVE' });
      expect(world().slack.ephemerals.at(-1)).toMatchObject({ user: 'U0EVE', text: expect.stringMatching(/not one Fluxline understands/) });
    });

    it('does nothing for the View PR link button', async () => {
      const before = world().slack.messages.length + world().slack.ephemerals.length;
      const response = await handleSlackRequest(
        signedSlackEvent('/slack/interactions', blockActionsBody({ actionId: ACTIONS.viewPr, messageTs: '1700000000.000500' }), { secret: SECRETS.signing }),
        { env: world().env },
      );
      expect(response.statusCode).toBe(200);
      expect(world().slack.messages.length + world().slack.ephemerals.length).toBe(before);
    });
  });
});
