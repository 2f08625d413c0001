import { describe, expect, it } from 'vitest';
import { handleFluxEvent } from '../../functions/flux-events';
import type { Store } from '../../lib/adapters/store';
import { FLUX_TOKEN, fluxEventBody, signedFluxEvent } from '../helpers/flux-requests';
import { buttonsOf, diffButton, useWorld } from '../helpers/world';

// DESIGN §3 "Exactly once, visibly": an answer lost on the way back, a crash between doing and recording,
// a failed last write. Each test makes the effect happen and then loses or breaks what follows it.
describe('exactly once, visibly', () => {
  const world = useWorld({ FLUX_WEBHOOK_TOKEN: FLUX_TOKEN });
  const store = async () => (await world().runtime()).store;
  const thread = (ts: string) => world().slack.messages.filter((m) => m.threadTs === ts);

  /**
   * Makes the store's `name` throw `times` times when `when` holds, then behave again: DynamoDB failing
   * the write that records an effect (the runtime's store is the one the consumers use).
   */
  async function breakStore<K extends keyof Store>(name: K, times: number, when: (...args: Parameters<Extract<Store[K], (...a: never[]) => unknown>>) => boolean = () => true) {
    const s = await store();
    const original = s[name] as unknown as (...args: unknown[]) => Promise<unknown>;
    let left = times;
    (s as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (left > 0 && (when as (...a: unknown[]) => boolean)(...args)) {
        left--;
        return Promise.reject(new Error(`DynamoDB failed ${String(name)} (injected)`));
      }
      return original(...args);
    };
    return () => ((s as unknown as Record<string, unknown>)[name] = original);
  }

  async function diffReport(scenario = 'no-changes') {
    const pr = await world().openPullRequest(scenario);
    const button = diffButton(pr);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();
    const report = thread(pr.ts).find((m) => buttonsOf(m.blocks).some((b) => b.label === 'Approve PR'));
    if (!report) throw new Error('no diff report');
    return { pr, report };
  }

  async function press(report: { ts: string; threadTs?: string; blocks?: unknown[] }, label: string, secondsLater = 0) {
    const button = buttonsOf(report.blocks).find((b) => b.label === label);
    if (!button) throw new Error(`no ${label} button`);
    const actionTs = (Date.now() / 1000 + secondsLater).toFixed(6);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: report.ts, ...(report.threadTs ? { threadTs: report.threadTs } : {}), user: 'U0ADMIN', actionTs });
    await world().settle();
  }

  describe('a Slack post whose answer is lost', () => {
    it('posts one PR notice when Slack takes the post and answers 500', async () => {
      // Prepare: the post happens, its answer does not arrive
      world().slack.failAfterEffect('chat.postMessage', [{ status: 500 }]);

      // Act
      const pr = await world().openPullRequest('no-changes');

      // Assess
      expect(world().slack.messages.filter((m) => !m.threadTs && m.text.includes(`acme/fleet#${pr.number}`))).toHaveLength(1);
      expect((await (await store()).getNotice('acme/fleet', pr.number))?.ts).toBe(pr.ts);
    });

    it('posts one PR notice when every attempt of the first delivery loses its answer and the queue delivers it again', async () => {
      // Prepare: three attempts of the consumer's Slack client, all taken by Slack, none answered
      world().slack.failAfterEffect('chat.postMessage', [{ status: 503 }]);
      world().slack.failNext('conversations.history', [{ status: 503 }, { status: 503 }, { status: 503 }]);

      // Act
      const pr = await world().openPullRequest('no-changes');

      // Assess
      expect(world().slack.messages.filter((m) => !m.threadTs && m.text.includes(`acme/fleet#${pr.number}`))).toHaveLength(1);
      expect((await (await store()).getNotice('acme/fleet', pr.number))?.ts).toBe(pr.ts);
    });

    it('posts one diff report when Slack takes the report and answers 500', async () => {
      // Prepare
      const pr = await world().openPullRequest('no-changes');
      const button = diffButton(pr);
      await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
      world().slack.failAfterEffect('chat.postMessage', [{ status: 500 }]);

      // Act
      await world().settle();

      // Assess
      expect(thread(pr.ts).filter((m) => /No changes/.test(`${m.text}${JSON.stringify(m.blocks ?? [])}`))).toHaveLength(1);
    });
  });

  describe('a worker that dies between reporting and recording it', () => {
    it('does not post the report again when the job message is delivered again', async () => {
      // Prepare: the report is posted, then recording it fails as a crash would
      const pr = await world().openPullRequest('no-changes');
      const button = diffButton(pr);
      const restore = await breakStore('markJobReported', 1);

      // Act
      await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
      await world().settle();
      restore();

      // Assess
      expect(thread(pr.ts).filter((m) => /No changes/.test(`${m.text}${JSON.stringify(m.blocks ?? [])}`))).toHaveLength(1);
      const [job] = await (await store()).listJobsOfPullRequest('acme/fleet', pr.number);
      expect(job?.reportedAt).toBeDefined();
    });
  });

  describe('steps made at the same time (issue #20)', () => {
    const reportsIn = (ts: string) => thread(ts).filter((m) => /No changes/.test(`${m.text}${JSON.stringify(m.blocks ?? [])}`));

    it("posts one diff report and makes one check run when the check run's ledger write fails while the Slack report goes out", async () => {
      // Prepare: the check run is made, then recording it fails as a crash would; the Slack report beside it is posted
      const pr = await world().openPullRequest('no-changes');
      const button = diffButton(pr);
      const restore = await breakStore('completeEffect', 1, (id) => id.startsWith('check-run:'));

      // Act
      await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
      await world().settle();
      restore();

      // Assess: the redelivery found both effects made and repeated neither
      expect(reportsIn(pr.ts)).toHaveLength(1);
      const [job] = await (await store()).listJobsOfPullRequest('acme/fleet', pr.number);
      expect(world().github.checkRuns.filter((r) => r.externalId === job?.id)).toHaveLength(1);
      expect(job).toMatchObject({ status: 'succeeded', reportedAt: expect.any(String) });
    });

    it('posts one diff report and makes one check run when the worker dies after both, before recording anything', async () => {
      // Prepare: the report's post records no intent of its own on its first run (the report's stands for it),
      // and its result is written with the report's and the job's mark: the three fail as a crash would
      const pr = await world().openPullRequest('no-changes');
      const button = diffButton(pr);
      const restoreLedger = await breakStore('completeEffect', 2, (id) => id.endsWith(':report') || /:post:\d+$/.test(id));
      const restoreMark = await breakStore('markJobReported', 1);

      // Act
      await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
      await world().settle();
      restoreLedger();
      restoreMark();

      // Assess: the redelivery found the post in the thread by its metadata, and the run by the ledger
      expect(reportsIn(pr.ts)).toHaveLength(1);
      const [job] = await (await store()).listJobsOfPullRequest('acme/fleet', pr.number);
      expect(world().github.checkRuns.filter((r) => r.externalId === job?.id)).toHaveLength(1);
      expect(job).toMatchObject({ status: 'succeeded', reportedAt: expect.any(String) });
      expect(await (await store()).getEffect(`job:${job?.id}:post:1`)).toMatchObject({ state: 'done' });
    });

    it("does not post the report again when recording it fails while the job's mark lands", async () => {
      // Prepare: the report's ledger result and the job's reportedAt are written together; the first fails
      const pr = await world().openPullRequest('no-changes');
      const button = diffButton(pr);
      const restore = await breakStore('completeEffect', 1, (id) => id.endsWith(':report'));

      // Act
      await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
      await world().settle();
      restore();

      // Assess
      expect(reportsIn(pr.ts)).toHaveLength(1);
      const [job] = await (await store()).listJobsOfPullRequest('acme/fleet', pr.number);
      expect(job?.reportedAt).toBeDefined();
    });
  });

  describe('the truth after a failed last write', () => {
    it('says the PR was approved when the approval succeeded and the job could not record it', async () => {
      // Prepare
      const { pr, report } = await diffReport();
      const restore = await breakStore('transitionJob', 1, (_id, from, to) => from === 'running' && to === 'succeeded');

      // Act
      await press(report, 'Approve PR', 5);
      restore();

      // Assess
      expect(world().github.reviews.filter((r) => r.number === pr.number)).toHaveLength(1);
      const said = thread(pr.ts).map((m) => m.text);
      expect(said.filter((t) => /approved the PR/.test(t))).toHaveLength(1);
      expect(said.filter((t) => /Could not approve/.test(t))).toHaveLength(0);
    });

    it('still says the PR was approved when Slack was down too while the job could not record it', async () => {
      // Prepare: the approval's job write fails, and so does every attempt to tell the approver at once
      const { pr, report } = await diffReport();
      const restore = await breakStore('transitionJob', 1, (_id, from, to) => from === 'running' && to === 'succeeded');
      world().slack.failNext('chat.postMessage', [{ status: 503 }, { status: 503 }, { status: 503 }]);

      // Act
      await press(report, 'Approve PR', 5);
      restore();

      // Assess: the redelivery told it and recorded it
      expect(world().github.reviews.filter((r) => r.number === pr.number)).toHaveLength(1);
      expect(thread(pr.ts).filter((m) => /approved the PR/.test(m.text))).toHaveLength(1);
      const approve = (await (await store()).listJobsOfPullRequest('acme/fleet', pr.number)).find((j) => j.kind === 'approve');
      expect(approve).toMatchObject({ status: 'succeeded', reportedAt: expect.any(String) });
    });

    it('ends the "running…" message saying what happened when the job cannot be recorded at all', async () => {
      // Prepare: every write that ends the job fails, for longer than the in-process queue's retries
      const restore = await breakStore('transitionJob', 50, (_id, from) => from === 'running');
      const before = world().slack.messages.length;

      // Act
      await world().command('get ks --cluster down', { channel: 'C0FLUX' });
      await world().settle();
      restore();

      // Assess
      const [message, ...others] = world().slack.messages.slice(before);
      expect(others).toHaveLength(0);
      expect(message?.text).not.toMatch(/hourglass|running|Running/);
      expect(message?.text).toMatch(/flux get ks -n flux-system on down failed/);
    });

    it('leaves no orphan "running…" message when the job could not be written and Slack delivers the command again', async () => {
      // Prepare: the consumer posts "running…", then DynamoDB fails the job's creation; the queue delivers it again
      const restore = await breakStore('createJob', 1);
      const before = world().slack.messages.length;

      // Act
      await world().command('get ks --cluster down', { channel: 'C0FLUX' });
      await world().settle();
      restore();

      // Assess: one message, the running one, ending with what happened
      const [message, ...others] = world().slack.messages.slice(before);
      expect(others).toHaveLength(0);
      expect(message?.text).toMatch(/flux get ks -n flux-system on down failed/);
    });

    it('approves once when GitHub takes the review and answers 500', async () => {
      // Prepare
      const { pr, report } = await diffReport();
      world().github.failAfterEffect({ method: 'POST', path: new RegExp(`/pulls/${pr.number}/reviews$`) }, [{ status: 500 }]);

      // Act
      await press(report, 'Approve PR', 5);

      // Assess
      expect(world().github.reviews.filter((r) => r.number === pr.number)).toHaveLength(1);
      expect(thread(pr.ts).filter((m) => /approved the PR/.test(m.text))).toHaveLength(1);
    });

    it('posts one PR comment when GitHub creates it and answers 500', async () => {
      // Prepare
      const { pr, report } = await diffReport('changes drifted-service');
      world().github.failAfterEffect({ method: 'POST', path: new RegExp(`/issues/${pr.number}/comments$`) }, [{ status: 500 }]);

      // Act
      await press(report, 'Post diff to PR', 5);

      // Assess
      expect(world().github.comments.filter((c) => c.number === pr.number)).toHaveLength(1);
      expect(thread(pr.ts).filter((m) => /Diff posted to the PR/.test(m.text))).toHaveLength(1);
    });
  });

  describe('Flux alerts', () => {
    const send = (body: string) => handleFluxEvent(signedFluxEvent('prod', body), { env: world().env });
    const alertsOf = (name: string) => world().slack.messages.filter((m) => m.channel === 'C0FLUX' && JSON.stringify(m.blocks ?? []).includes(`HelmRelease/podinfo/${name}`));

    it('alerts once for one Flux event when Slack takes the alert but answers 500 and Flux retries', async () => {
      // Prepare: every attempt of the first request is taken by Slack and answered 500
      const body = fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'lost-answer' } });
      world().slack.failAfterEffect('chat.postMessage', [{ status: 500 }]);
      world().slack.failNext('conversations.history', [{ status: 503 }, { status: 503 }, { status: 503 }]);

      // Act
      const first = await send(body);
      const retried = await send(body);

      // Assess
      expect(first.statusCode).toBe(503);
      expect(retried.statusCode).toBeLessThan(300);
      expect(alertsOf('lost-answer')).toHaveLength(1);
    });

    it('alerts once for one Flux event however late Flux delivers it again', async () => {
      // Prepare
      const body = fluxEventBody('helmrelease-upgrade-failed', { involvedObject: { name: 'late-retry' } });
      const t0 = new Date();

      // Act: the first delivery, then the same event again after the 5-minute window
      await handleFluxEvent(signedFluxEvent('prod', body), { env: world().env, now: () => t0 });
      const again = await handleFluxEvent(signedFluxEvent('prod', body), { env: world().env, now: () => new Date(t0.getTime() + 6 * 60_000) });

      // Assess
      expect(again.statusCode).toBeLessThan(300);
      expect(alertsOf('late-retry')).toHaveLength(1);
    });
  });
});
