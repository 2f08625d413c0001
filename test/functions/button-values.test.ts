import { describe, expect, it } from 'vitest';
import { encodeAction } from '../../lib/core/commands';
import { ACTIONS } from '../../lib/adapters/slack';
import { buttonsOf, useWorld } from '../helpers/world';

const replyOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}') as { response_type?: string; text?: string };

/** Names that are keys of every JavaScript object: `name in config.clusters` is true for them. */
const PROTOTYPE_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'] as const;

/**
 * An attacker with the signing secret (a leak) can send any button value or menu option: each is decoded
 * and then checked against what the server knows, like the typed command, before anything is queued.
 */
describe('button values and command names from outside', () => {
  const world = useWorld();
  const store = async () => (await world().runtime()).store;
  const jobsOf = async (number: number, repository = 'acme/fleet') => (await store()).listJobsOfPullRequest(repository, number);
  const lastEphemeral = (user: string) => world().slack.ephemerals.filter((e) => e.user === user).at(-1);
  const noJavaScriptError = (text: string | undefined) => expect(text ?? '').not.toMatch(/TypeError|ReferenceError|is not a function|Cannot read prop|undefined|\[object /);

  describe('a crafted Flux diff button', () => {
    it('refuses a Kustomization that is not a configured diff target: no job, no flux run', async () => {
      // Prepare
      const pr = await world().openPullRequest('changes drifted-service');
      const value = encodeAction({ type: 'flux-diff', repository: 'acme/fleet', number: pr.number, kustomization: 'kube-system/coredns', cluster: 'stage' });
      const kubeReads = world().kube.requests.length;

      // Act
      const response = await world().click({ actionId: `${ACTIONS.fluxDiff}:0`, value, messageTs: pr.ts, user: 'U0DEV' });
      await world().settle();

      // Assess
      expect(response.statusCode).toBe(200);
      expect(await jobsOf(pr.number)).toHaveLength(0);
      expect(world().kube.requests.length).toBe(kubeReads);
      expect(lastEphemeral('U0DEV')?.text).toMatch(/`kube-system\/coredns` on `stage` is not a diff target of acme\/fleet.*`flux-system\/apps` on `stage`/s);
    });

    it('refuses a repository config.yaml does not name', async () => {
      const value = encodeAction({ type: 'flux-diff', repository: 'evil/fleet', number: 7, kustomization: 'flux-system/apps', cluster: 'stage' });

      await world().click({ actionId: `${ACTIONS.fluxDiff}:0`, value, messageTs: '1700000000.000700', user: 'U0DEV' });

      expect(await jobsOf(7, 'evil/fleet')).toHaveLength(0);
      expect(lastEphemeral('U0DEV')?.text).toMatch(/evil\/fleet is not a repository Fluxline diffs/);
    });

    it.each(PROTOTYPE_KEYS)('refuses the cluster name `%s` in plain words, never a 500', async (cluster) => {
      // Prepare: JSON written by hand, as an attacker would; encodeAction refuses these names itself
      const value = JSON.stringify({ v: 1, type: 'flux-diff', repository: 'acme/fleet', number: 9001, kustomization: 'flux-system/apps', cluster });

      // Act
      const response = await world().click({ actionId: `${ACTIONS.fluxDiff}:0`, value, messageTs: '1700000000.000800', user: 'U0PROTO' });
      await world().settle();

      // Assess
      expect(response.statusCode).toBe(200);
      expect(await jobsOf(9001)).toHaveLength(0);
      const told = lastEphemeral('U0PROTO')?.text;
      expect(told).toMatch(/not one Fluxline understands|Unknown cluster `constructor`/);
      noJavaScriptError(told);
    });
  });

  describe('a crafted Flux CLI button', () => {
    it.each(PROTOTYPE_KEYS)('refuses to run flux on the cluster `%s`', async (cluster) => {
      const value = JSON.stringify({ v: 1, type: 'flux-run', action: 'events', cluster, kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
      const messages = world().slack.messages.length;

      const response = await world().click({ actionId: `${ACTIONS.fluxRun}:events`, value, messageTs: '1700000000.000900', user: 'U0PROTO2' });
      await world().settle();

      expect(response.statusCode).toBe(200);
      expect(world().slack.messages.length).toBe(messages);
      const told = lastEphemeral('U0PROTO2')?.text;
      expect(told).toMatch(/not one Fluxline understands|Unknown cluster/);
      noJavaScriptError(told);
    });

    it('reads the object of a row button from the stored table, and keeps a table’s rows to channels allowed on its cluster', async () => {
      // Prepare: a table of stage, in the stage channel
      await world().command('get ks -A', { channel: 'C0STAGE' });
      await world().settle();
      const table = world().slack.messages.filter((m) => m.channel === 'C0STAGE').at(-1);
      const menu = ((table?.blocks ?? []) as { type: string; elements?: { type: string; action_id: string; options: { text: { text: string }; value: string }[] }[] }[])
        .flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []))
        .find((e) => e.type === 'static_select');
      const option = menu?.options.find((o) => o.text.text.replace(/^✗ /, '') === 'flux-system/apps');
      expect(option).toBeDefined();

      // Act: the same option, sent from a channel bound to no cluster
      await world().click({ actionId: menu?.action_id ?? '', selectedValue: option?.value ?? '', messageTs: table?.ts ?? '', channel: 'C0OTHER', user: 'U0ROW' });
      const elsewhere = lastEphemeral('U0ROW');
      // Act: chosen where it belongs, its Events button names the table and the row, not the object
      await world().click({ actionId: menu?.action_id ?? '', selectedValue: option?.value ?? '', messageTs: table?.ts ?? '', channel: 'C0STAGE', user: 'U0ROW' });
      const offer = lastEphemeral('U0ROW');
      const events = buttonsOf(offer?.blocks).find((b) => b.label === 'Events');

      // Assess
      expect(elsewhere?.text).toMatch(/This channel is not bound to any cluster/);
      expect(elsewhere?.blocks).toBeUndefined();
      expect(JSON.parse(events?.value ?? '{}')).toEqual({ v: 1, type: 'flux-item', action: 'events', jobId: expect.any(String), row: expect.any(Number), threadTs: table?.ts });
    });

    it('refuses an object name outside the Kubernetes grammar', async () => {
      const value = JSON.stringify({ v: 1, type: 'flux-run', action: 'events', cluster: 'stage', kind: 'Kustomization', namespace: 'flux-system', name: '../../etc' });

      await world().click({ actionId: `${ACTIONS.fluxRun}:events`, value, messageTs: '1700000000.001000', channel: 'C0STAGE', user: 'U0NAME' });

      expect(lastEphemeral('U0NAME')?.text).toMatch(/not one Fluxline understands/);
    });
  });

  describe('Post diff to PR and Approve PR', () => {
    /** A finished diff of a prod target, as the worker leaves it. */
    async function prodDiffJob(number: number): Promise<string> {
      const id = `slack-prod${String(number).padStart(20, '0')}`;
      const now = new Date().toISOString();
      await (await store()).createJob({
        id,
        kind: 'diff',
        status: 'succeeded',
        requester: { user: 'U0ADMIN', channel: 'C0FLUX' },
        inputs: { repository: 'acme/fleet', number, kustomization: 'flux-system/apps', cluster: 'prod' },
        subject: { repository: 'acme/fleet', number },
        createdAt: now,
        updatedAt: now,
        attempts: 0,
      });
      return id;
    }

    it.each([
      ['post-diff', ACTIONS.postDiff],
      ['approve', ACTIONS.approvePr],
    ] as const)('refuses %s of a prod diff from a channel bound to stage, and audits it', async (type, actionId) => {
      // Prepare
      const number = type === 'approve' ? 4201 : 4202;
      const jobId = await prodDiffJob(number);
      const comments = world().github.comments.length;
      const reviews = world().github.reviews.length;

      // Act: an admin (and approver), clicking from the stage channel
      const response = await world().click({ actionId: `${actionId}:${jobId}`, value: encodeAction({ type, jobId }), messageTs: '1700000000.001100', channel: 'C0STAGE', user: 'U0ADMIN' });
      await world().settle();

      // Assess
      expect(response.statusCode).toBe(200);
      expect(await jobsOf(number)).toHaveLength(1);
      expect(world().github.comments.length).toBe(comments);
      expect(world().github.reviews.length).toBe(reviews);
      expect(lastEphemeral('U0ADMIN')?.text).toMatch(/This channel may use `stage` only, not `prod`/);
      const audit = await (await store()).auditOfDay(new Date());
      expect(audit).toContainEqual(expect.objectContaining({ actor: 'U0ADMIN', action: type, where: 'C0STAGE', target: `acme/fleet#${number} flux-system/apps@prod`, outcome: 'refused' }));
    });

    it('refuses a job id that is not a diff', async () => {
      const now = new Date().toISOString();
      await (await store()).createJob({ id: 'slack-notadiff000000000000000', kind: 'flux-cli', status: 'succeeded', requester: { user: 'U0ADMIN', channel: 'C0FLUX' }, inputs: { args: ['get', 'ks'], cluster: 'stage' }, createdAt: now, updatedAt: now, attempts: 0 });

      await world().click({ actionId: `${ACTIONS.postDiff}:x`, value: encodeAction({ type: 'post-diff', jobId: 'slack-notadiff000000000000000' }), messageTs: '1700000000.001200', user: 'U0POST' });

      expect(lastEphemeral('U0POST')?.text).toMatch(/not a diff report/);
    });
  });

  describe('typed commands', () => {
    it('refuses a non-admin’s /flux diff ks of a Kustomization that is not a configured target, listing the configured ones', async () => {
      // Prepare
      const pr = await world().openPullRequest('no-changes');

      // Act
      const byUrl = replyOf(await world().command(`diff ks coredns -n kube-system --github-ref https://github.com/acme/fleet/pull/${pr.number} --cluster stage`, { user: 'U0DEV' }));
      const byNumber = replyOf(await world().command('diff ks x -n kube-system --github-ref 1', { user: 'U0DEV' }));

      // Assess
      expect(byUrl.text).toMatch(/`kube-system\/coredns` on `stage` is not a diff target of acme\/fleet.*`flux-system\/apps` on `stage`/s);
      expect(byNumber.text).toMatch(/No configured repository diffs `kube-system\/x`/);
      expect(await jobsOf(pr.number)).toHaveLength(0);
    });

    it('refuses /flux diff ks for a repository config.yaml does not name', async () => {
      const reply = replyOf(await world().command('diff ks apps --github-ref https://github.com/evil/fleet/pull/3 --cluster stage', { user: 'U0ADMIN' }));
      expect(reply.text).toMatch(/evil\/fleet is not a repository Fluxline diffs/);
      expect(await jobsOf(3, 'evil/fleet')).toHaveLength(0);
    });

    it.each(['get ks apps extra', 'get ks flux-system/apps/extra', 'diff ks flux-system/apps/extra --github-ref 1', 'promote podinfo@1.2.3@evil to prod'])('refuses `/flux %s` instead of shortening it', async (text) => {
      const reply = replyOf(await world().command(text, { user: 'U0ADMIN' }));
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toMatch(/Unexpected|not a valid|Usage/);
      expect(world().slack.messages.filter((m) => m.text.includes('Running'))).toHaveLength(0);
    });

    it('lists the grammar when /flux get has trailing words', async () => {
      expect(replyOf(await world().command('get ks apps extra')).text).toContain('/flux get kustomizations|helmreleases');
    });

    it.each(['get ks --cluster constructor', 'get ks --cluster toString', 'diff toString', 'diff constructor', 'list --cluster hasOwnProperty'])('answers `/flux %s` with a plain refusal', async (text) => {
      const response = await world().command(text, { user: 'U0ADMIN' });
      await world().settle();
      expect(response.statusCode).toBe(200);
      const reply = replyOf(response);
      expect(reply.text).toMatch(/Unknown (cluster|environment)|not a valid|Usage/);
      noJavaScriptError(reply.text);
    });
  });
});
