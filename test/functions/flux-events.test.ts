import { describe, expect, it } from 'vitest';
import { handleFluxEvent } from '../../functions/flux-events';
import type { PendingRollout } from '../../lib/adapters/store';
import { FLUX_TOKEN, fluxEventBody, fluxFixture, signedFluxEvent } from '../helpers/flux-requests';
import { useWorld } from '../helpers/world';

const answerOf = (response: { body?: string }) => JSON.parse(response.body ?? '{}') as Record<string, unknown> & { status?: string; error?: string };
const SHA = '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c';

describe('POST /flux/events/{cluster}', () => {
  const world = useWorld({ FLUX_WEBHOOK_TOKEN: FLUX_TOKEN });
  const send = (cluster: string, body: string, options: Parameters<typeof signedFluxEvent>[2] & { now?: Date } = {}) =>
    handleFluxEvent(signedFluxEvent(cluster, body, options), { env: world().env, ...(options.now ? { now: () => options.now ?? new Date() } : {}) });
  const store = async () => (await world().runtime()).store;
  const messagesIn = (channel: string, includes: string) => world().slack.messages.filter((m) => m.channel === channel && `${m.text}\n${JSON.stringify(m.blocks ?? [])}`.includes(includes));
  const calls = (method: string) => world().slack.requests.filter((r) => r.method === method).length;

  describe('request verification', () => {
    it('rejects a body signed with another token with 401 and records nothing', async () => {
      // Act
      const response = await send('prod', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'forged' } }), { secret: 'not-the-token' });

      // Assess
      expect(response.statusCode).toBe(401);
      expect(await (await store()).deploymentsOfApp('forged')).toEqual([]);
    });

    it('answers 413 to a signed event of 1 MB, naming the limit, and records nothing', async () => {
      // Prepare: a real event whose message is padded past any Flux event (notification-controller's are a few KB).
      const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'huge' }, message: 'x'.repeat(1024 * 1024) });

      // Act
      const response = await send('prod', body);

      // Assess
      expect(response.statusCode).toBe(413);
      expect(answerOf(response).error).toMatch(/accepts at most 262,144/);
      expect(await (await store()).deploymentsOfApp('huge')).toEqual([]);
    });

    it('rejects a request without X-Signature with 401', async () => {
      const response = await send('prod', fluxFixture('helmrelease-upgrade-succeeded'), { signature: null });
      expect(response.statusCode).toBe(401);
      expect(answerOf(response).error).toMatch(/X-Signature/);
    });

    it('fails closed when no token is configured, without echoing it', async () => {
      // Prepare
      const { FLUX_WEBHOOK_TOKEN: _, ...env } = world().env;

      // Act
      const response = await handleFluxEvent(signedFluxEvent('prod', fluxFixture('helmrelease-upgrade-succeeded')), { env });

      // Assess
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain(FLUX_TOKEN);
    });

    it('answers 404 naming the known clusters for a cluster config.yaml does not have', async () => {
      const response = await send('nowhere', fluxFixture('helmrelease-upgrade-succeeded'));
      expect(response.statusCode).toBe(404);
      expect(answerOf(response).error).toMatch(/unknown cluster "nowhere".*"prod"/);
    });

    it.each([
      ['not JSON', '{"involvedObject":', /body is not valid JSON/],
      ['an unknown severity', fluxEventBody('helmrelease-upgrade-succeeded', { severity: 'warning' }), /^not a Flux event: severity: /],
      ['no involved object name', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: '' } }), /^not a Flux event: involvedObject\.name: /],
      ['a timestamp that is not RFC 3339', fluxEventBody('helmrelease-upgrade-succeeded', { timestamp: 'yesterday' }), /^not a Flux event: timestamp: /],
    ])('answers 400 with a one-line reason to %s', async (_what, body, reason) => {
      const response = await send('prod', body);
      expect(response.statusCode).toBe(400);
      expect(answerOf(response).error).toMatch(reason);
      expect(answerOf(response).error).not.toContain('\n');
    });

    it('verifies a base64-encoded body on its decoded bytes', async () => {
      const response = await send('stage', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'b64' } }), { base64: true });
      expect(response.statusCode).toBe(200);
    });
  });

  describe('deployment history', () => {
    it('records a HelmRelease upgrade with its chart version', async () => {
      // Act
      const response = await send('prod', fluxFixture('helmrelease-upgrade-succeeded'));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(answerOf(response)).toMatchObject({ status: 'recorded', object: 'HelmRelease/podinfo/podinfo', version: '6.5.4', duplicate: false, latest: true });
      const latest = await (await store()).latestDeployment('prod', { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' });
      expect(latest).toMatchObject({ version: '6.5.4', revision: '6.5.4', reason: 'UpgradeSucceeded', at: '2026-11-20T10:20:41.000Z' });
      expect(latest?.by).toBeUndefined();
    });

    it.each([
      ['revision', `main@sha1:${SHA}`],
      ['revision', `main/${SHA}`],
      ['kustomize.toolkit.fluxcd.io/revision', `main@sha1:${SHA}`],
      ['kustomize.toolkit.fluxcd.io/revision', `main/${SHA}`],
    ])('records a Kustomization reconciliation with its commit sha (metadata %s: %s)', async (key, revision) => {
      // Prepare: one object per form, so each records afresh
      const name = `ks-${key.length}-${revision.length}`;
      const body = JSON.stringify({ ...JSON.parse(fluxFixture('kustomization-reconciliation-succeeded')), involvedObject: { kind: 'Kustomization', namespace: 'flux-system', name }, metadata: { [key]: revision } });

      // Act
      const response = await send('stage', body);

      // Assess
      expect(answerOf(response)).toMatchObject({ status: 'recorded', version: SHA });
      expect((await (await store()).latestDeployment('stage', { kind: 'Kustomization', namespace: 'flux-system', name }))?.revision).toBe(revision);
    });

    it.each(['InstallSucceeded', 'RollbackSucceeded'])('records a HelmRelease %s', async (reason) => {
      const name = `helm-${reason}`;
      const response = await send('stage', fluxEventBody('helmrelease-upgrade-succeeded', { reason, involvedObject: { name }, metadata: { revision: undefined, 'helm.toolkit.fluxcd.io/revision': '1.2.3' } }));
      expect(answerOf(response)).toMatchObject({ status: 'recorded', version: '1.2.3' });
    });

    it.each([
      ['Progressing', 'kustomization-reconciliation-succeeded', {}],
      ['DependencyNotReady', 'kustomization-reconciliation-succeeded', {}],
      ['Succeeded', 'kustomization-reconciliation-succeeded', { involvedObject: { kind: 'GitRepository', name: 'flux-system' } }],
    ])('answers 202 and records nothing for an info event with reason %s', async (reason, fixture, changes) => {
      // Prepare
      const name = `ignored-${reason}`;
      const body = fluxEventBody(fixture, { reason, ...changes, involvedObject: { ...((changes as { involvedObject?: object }).involvedObject ?? {}), name } });

      // Act
      const response = await send('stage', body);

      // Assess
      expect(response.statusCode).toBe(202);
      expect(answerOf(response)).toMatchObject({ status: 'ignored' });
      expect(await (await store()).deploymentsOfApp(name)).toEqual([]);
    });

    it('records a repeated event once', async () => {
      // Prepare
      const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'twice' } });

      // Act
      const first = await send('prod', body);
      const again = await send('prod', body);

      // Assess
      expect(answerOf(first)).toMatchObject({ duplicate: false });
      expect(again.statusCode).toBe(200);
      expect(answerOf(again)).toMatchObject({ status: 'recorded', duplicate: true });
      expect(await (await store()).deploymentsOfApp('twice')).toHaveLength(1);
    });

    it('keeps the newest deployment as the latest when an older event arrives late', async () => {
      // Prepare
      const at = (version: string, timestamp: string) => fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'late' }, metadata: { revision: version }, timestamp });
      await send('prod', at('2.0.0', '2026-11-20T12:00:00Z'));

      // Act
      const late = await send('prod', at('1.9.0', '2026-11-20T11:00:00+00:00'));

      // Assess
      expect(answerOf(late)).toMatchObject({ status: 'recorded', latest: false });
      const s = await store();
      expect((await s.latestDeployment('prod', { kind: 'HelmRelease', namespace: 'podinfo', name: 'late' }))?.version).toBe('2.0.0');
      expect((await s.deploymentsOfApp('late')).map((d) => d.version)).toEqual(['2.0.0', '1.9.0']);
    });
  });

  describe('error alerts', () => {
    it('alerts the default channel with the object, cluster, reason and Flux’s message (Flux’s documented example)', async () => {
      // Act
      const response = await send('prod', fluxFixture('kustomization-validation-failed'));

      // Assess
      expect(response.statusCode).toBe(200);
      expect(answerOf(response)).toMatchObject({ status: 'alerted', posted: ['C0FLUX'] });
      const [alert] = messagesIn('C0FLUX', 'Kustomization/apps/webapp');
      const shown = JSON.stringify(alert?.blocks);
      expect(shown).toContain('`prod`');
      expect(shown).toContain('ValidationFailed');
      expect(shown).toContain('service/apps/webapp validation error: spec.type: Unsupported value: Ingress');
      expect(shown).toContain('main/731f7eaddfb6af01cb2173e18f0f75b0ba780ef1');
    });

    it('alerts the channels bound to the cluster instead of the default one', async () => {
      // Act
      await send('stage', fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'bound' } }));

      // Assess
      expect(messagesIn('C0STAGE', 'HelmRelease/podinfo/bound')).toHaveLength(1);
      expect(messagesIn('C0FLUX', 'HelmRelease/podinfo/bound')).toHaveLength(0);
    });

    it('escapes Flux’s message and masks tokens in it', async () => {
      // Act
      await send('prod', fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'escaped' }, message: 'pull failed <!channel> & token ghp_abcdefghijklmnopqrstuvwxyz0123' }));

      // Assess
      const shown = JSON.stringify(messagesIn('C0FLUX', 'HelmRelease/podinfo/escaped')[0]?.blocks);
      expect(shown).toContain('&lt;!channel&gt; &amp; token');
      expect(shown).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123');
    });

    it('alerts once per object and reason within 5 minutes, and again after', async () => {
      // Prepare
      const body = fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'noisy' } });
      const t0 = new Date('2026-11-23T10:00:00Z');

      // Act
      const first = await send('prod', body, { now: t0 });
      const repeat = await send('prod', body, { now: new Date(t0.getTime() + 4 * 60_000) });
      const otherReason = await send('prod', fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'noisy' }, reason: 'ArtifactFailed' }), { now: new Date(t0.getTime() + 4 * 60_000) });
      // The same failure again after the window is a new Flux event (its own timestamp): one event is alerted once, ever.
      const laterAt = new Date(t0.getTime() + 5 * 60_000 + 1_000);
      const later = await send('prod', fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'noisy' }, timestamp: laterAt.toISOString() }), { now: laterAt });

      // Assess
      expect(answerOf(first)).toMatchObject({ posted: ['C0FLUX'], muted: [] });
      expect(answerOf(repeat)).toMatchObject({ posted: [], muted: ['C0FLUX'] });
      expect(answerOf(otherReason)).toMatchObject({ posted: ['C0FLUX'] });
      expect(answerOf(later)).toMatchObject({ posted: ['C0FLUX'] });
      expect(messagesIn('C0FLUX', 'HelmRelease/podinfo/noisy')).toHaveLength(3);
    });

    it('answers 503 when Slack fails, so Flux retries, and the retry posts the alert once', async () => {
      // Prepare: every attempt of the Slack client fails
      const body = fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'slack-down' } });
      world().slack.failNext('chat.postMessage', [{ status: 503 }, { status: 503 }, { status: 503 }]);

      // Act
      const failed = await send('prod', body);
      const retried = await send('prod', body);
      const retriedAgain = await send('prod', body);

      // Assess
      expect(failed.statusCode).toBe(503);
      expect(answerOf(failed).error).toMatch(/Slack did not take the alert/);
      expect(answerOf(retried)).toMatchObject({ status: 'alerted', posted: ['C0FLUX'] });
      expect(answerOf(retriedAgain)).toMatchObject({ posted: [], muted: ['C0FLUX'] });
      expect(messagesIn('C0FLUX', 'HelmRelease/podinfo/slack-down')).toHaveLength(1);
    });
  });

  describe('pending promote and rollback', () => {
    async function pending(app: string, overrides: Partial<PendingRollout> = {}): Promise<{ rollout: PendingRollout; messageTs: string }> {
      const running = world().slack.addMessage({ channel: 'C0FLUX', text: `:hourglass_flowing_sand: Promoting ${app} to prod…` });
      const rollout: PendingRollout = {
        jobId: `job-${app}`,
        cluster: 'prod',
        app,
        expect: { version: '6.5.4' },
        requester: { user: 'U0ADMIN', channel: 'C0FLUX', messageTs: running.ts },
        action: 'promote',
        createdAt: '2026-11-20T10:00:00.000Z',
        ...overrides,
      };
      await (await store()).putPendingRollout(rollout);
      return { rollout, messageTs: running.ts };
    }
    const messageAt = (ts: string) => world().slack.messages.find((m) => m.ts === ts);

    it('completes the rollout once: updates its message once, records who deployed it, audits it', async () => {
      // Prepare
      const { messageTs } = await pending('shop');
      const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'shop' } });
      const updatesBefore = calls('chat.update');

      // Act
      const first = await send('prod', body);
      const again = await send('prod', body);

      // Assess
      expect(answerOf(first)).toMatchObject({ status: 'recorded', rollouts: ['job-shop'] });
      expect(answerOf(again)).toMatchObject({ status: 'recorded', duplicate: true, rollouts: [] });
      expect(calls('chat.update') - updatesBefore).toBe(1);
      expect(messageAt(messageTs)?.text).toMatch(/^:white_check_mark: shop `6\.5\.4` deployed on `prod` \(promoted by <@U0ADMIN>/);
      const s = await store();
      expect(await s.pendingRolloutsOn('prod')).not.toContainEqual(expect.objectContaining({ jobId: 'job-shop' }));
      expect((await s.deploymentsOfApp('shop'))[0]?.by).toEqual({ user: 'U0ADMIN', jobId: 'job-shop', action: 'promote' });
      const audit = await s.auditOfDay(new Date());
      expect(audit.filter((e) => e.target === 'shop@6.5.4 on prod')).toEqual([expect.objectContaining({ actor: 'U0ADMIN', action: 'promote', outcome: 'succeeded' })]);
    });

    it('matches a Kustomization revision on the commit it expects, abbreviated or not', async () => {
      // Prepare
      const { messageTs } = await pending('webshop', { expect: { commitSha: SHA.slice(0, 12) }, action: 'rollback' });

      // Act
      const response = await send('prod', fluxEventBody('kustomization-reconciliation-succeeded', { involvedObject: { name: 'webshop' } }));

      // Assess
      expect(answerOf(response)).toMatchObject({ rollouts: ['job-webshop'] });
      expect(messageAt(messageTs)?.text).toMatch(/webshop `9e1a3c5` deployed on `prod` \(rolled back by <@U0ADMIN>/);
    });

    it('leaves the rollout pending when another version deploys', async () => {
      // Prepare
      await pending('other-version');

      // Act
      const response = await send('prod', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'other-version' }, metadata: { revision: '6.5.3' } }));

      // Assess
      expect(answerOf(response)).toMatchObject({ rollouts: [] });
      expect((await (await store()).pendingRolloutsOn('prod')).map((r) => r.jobId)).toContain('job-other-version');
    });

    it('keeps the rollout when Slack fails (503), and the retry updates the message once and completes it', async () => {
      // Prepare
      const { messageTs } = await pending('retried');
      const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'retried' } });
      world().slack.failNext('chat.update', [{ status: 500 }, { status: 500 }, { status: 500 }]);

      // Act
      const failed = await send('prod', body);
      const pendingAfterFailure = (await (await store()).pendingRolloutsOn('prod')).map((r) => r.jobId);
      const retried = await send('prod', body);

      // Assess
      expect(failed.statusCode).toBe(503);
      expect(pendingAfterFailure).toContain('job-retried');
      expect(answerOf(retried)).toMatchObject({ rollouts: ['job-retried'] });
      expect(messageAt(messageTs)?.text).toMatch(/^:white_check_mark: retried/);
      expect((await (await store()).pendingRolloutsOn('prod')).map((r) => r.jobId)).not.toContain('job-retried');
    });

    it('posts the outcome once when the rollout has no message to update, across a retry', async () => {
      // Prepare
      await pending('no-message', { requester: { user: 'U0ADMIN', channel: 'C0FLUX' } });
      const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'no-message' } });
      world().slack.failNext('chat.postMessage', [{ status: 502 }, { status: 502 }, { status: 502 }]);

      // Act
      const failed = await send('prod', body);
      await send('prod', body);
      await send('prod', body);

      // Assess
      expect(failed.statusCode).toBe(503);
      expect(messagesIn('C0FLUX', ':white_check_mark: no-message')).toHaveLength(1);
    });

    it('posts the outcome once when Slack took the post but its answer was lost, and Flux sends the event again', async () => {
      // Prepare: no message to update, so the outcome is a new post; Slack posts it and answers 500 every time
      await pending('lost-answer', { requester: { user: 'U0ADMIN', channel: 'C0FLUX' } });
      const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'lost-answer' } });
      world().slack.failAfterEffect('chat.postMessage', [{ status: 500 }, { status: 500 }, { status: 500 }]);

      // Act: the event, and Flux's retry of it
      await send('prod', body);
      await send('prod', body);

      // Assess: the lost post is found by its effect id (by the client's own retry or Flux's), never made twice
      expect(messagesIn('C0FLUX', ':white_check_mark: lost-answer')).toHaveLength(1);
      expect((await (await store()).pendingRolloutsOn('prod')).map((r) => r.jobId)).not.toContain('job-lost-answer');
    });

    it('marks the rollout failed on an error event of its app, with Flux’s reason', async () => {
      // Prepare
      const { messageTs } = await pending('broken-app', { expect: { version: '6.5.5' } });

      // Act
      const response = await send('prod', fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'broken-app' } }));

      // Assess
      expect(answerOf(response)).toMatchObject({ status: 'alerted', rollouts: ['job-broken-app'] });
      expect(messageAt(messageTs)?.text).toMatch(/^:x: broken-app `6\.5\.5` failed on `prod` \(promoted by <@U0ADMIN>\)\. Flux: \*UpgradeFailed\*: Helm upgrade failed/);
      const audit = await (await store()).auditOfDay(new Date());
      expect(audit.filter((e) => e.target === 'broken-app@6.5.5 on prod').map((e) => e.outcome)).toEqual(['failed']);
    });

    it('ignores an error that happened before the rollout was asked for', async () => {
      // Prepare
      await pending('stale-error', { createdAt: '2026-11-21T00:00:00.000Z' });

      // Act
      const response = await send('prod', fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'stale-error' } }));

      // Assess
      expect(answerOf(response)).toMatchObject({ rollouts: [] });
    });
  });

  describe('/flux history', () => {
    it('lists what deployed when, newest first, and who did it', async () => {
      // Prepare
      const s = await store();
      await s.putPendingRollout({ jobId: 'job-hist', cluster: 'prod', app: 'hist', expect: { version: '2.0.0' }, requester: { user: 'U0ALICE', channel: 'C0FLUX' }, action: 'promote', createdAt: '2026-11-20T00:00:00.000Z' });
      await send('stage', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'hist' }, metadata: { revision: '1.0.0' }, timestamp: '2026-11-20T08:00:00Z' }));
      await send('prod', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'hist' }, metadata: { revision: '2.0.0' }, timestamp: '2026-11-20T09:00:00Z' }));

      // Act
      const all = answerOf(await world().command('history hist')).text as string;
      const onProd = answerOf(await world().command('history hist on prod')).text as string;

      // Assess
      const rows = all.split('\n').filter((l) => l.startsWith('• '));
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatch(/2026-11-20 09:00 UTC.*`prod` · `2\.0\.0` · UpgradeSucceeded \(HelmRelease podinfo\/hist\) · <@U0ALICE> \(promote\)/);
      expect(rows[1]).toMatch(/2026-11-20 08:00 UTC.*`stage` · `1\.0\.0` · UpgradeSucceeded .* · Flux$/);
      expect(onProd.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(1);
    });

    it('says there is no history yet, and where history comes from', async () => {
      const reply = answerOf(await world().command('history nothing-here on prod'));
      expect(reply.response_type).toBe('ephemeral');
      expect(reply.text).toMatch(/No deployments of `nothing-here` on `prod` are recorded yet/);
      expect(reply.text).toMatch(/generic-hmac.*\/flux\/events\/<cluster>/);
    });

    it('names the known environments when the one asked for is not a cluster', async () => {
      const reply = answerOf(await world().command('history podinfo on mars'));
      expect(reply.text).toMatch(/Unknown environment `mars`.*`stage`, `prod`/);
    });
  });
});
