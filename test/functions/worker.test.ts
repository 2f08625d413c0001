import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Context, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handleJobMessages } from '../../functions/worker';
import { parseDiffReport } from '../../lib/adapters/flux';
import { jobMessageBody } from '../../lib/flows/jobs';
import { buttonsOf, diffButton, useWorld } from '../helpers/world';

const fixture = (name: string) => readFileSync(resolve(import.meta.dirname, '../fixtures/flux-diff', `${name}.golden`), 'utf8');

describe('worker: flux diff of a PR, reported in its Slack thread', () => {
  const world = useWorld();

  /** Opens a PR with this flux scenario, clicks its Flux diff button and waits for the report. */
  async function diffOf(scenario: string, options: { kustomization?: string; cluster?: string; user?: string; repository?: string; forkOwner?: string } = {}) {
    const pr = await world().openPullRequest(scenario, { ...(options.repository ? { repository: options.repository } : {}), ...(options.forkOwner ? { forkOwner: options.forkOwner } : {}) });
    const label = `Flux diff: ${options.kustomization ?? 'flux-system/apps'} @ ${options.cluster ?? 'stage'}`;
    const button = pr.buttons.find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label}`);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: options.user ?? 'U0ADMIN' });
    await world().settle();
    const thread = world().slack.messages.filter((m) => m.threadTs === pr.ts);
    const report = thread.at(-1);
    if (!report) throw new Error('no report in the thread');
    return { pr, report, thread, text: `${report.text}\n${JSON.stringify(report.blocks ?? [])}` };
  }

  it('posts the report in the PR thread with counts that match flux’s output and the three buttons', async () => {
    // Act
    const { report, text } = await diffOf('changes drifted-service');

    // Assess
    const expected = parseDiffReport(fixture('drifted-service')).counts;
    expect(expected).toMatchObject({ created: 6, drifted: 1, deleted: 0 });
    expect(text).toContain(`${expected.created} created · ${expected.drifted} changed · ${expected.deleted} deleted`);
    expect(text).toContain('► Service/default/podinfo changed');
    expect(text).not.toMatch(/► \S+ drifted/);
    expect(text).toContain('spec.ports.http.port');
    expect(buttonsOf(report.blocks).map((b) => b.label)).toEqual(['Post diff to PR', 'Approve PR', 'View PR']);
  });

  it('shows the risk flags in one line above the diff, most severe first, with what each image changes to', async () => {
    // Act
    const { report, text } = await diffOf('changes risky-workloads');

    // Assess
    const blocks = JSON.stringify(report.blocks);
    expect(text).toContain('2 scaled to 0');
    expect(blocks.indexOf('2 scaled to 0 · 1 chart version change · 1 image change')).toBeGreaterThan(-1);
    expect(blocks.indexOf('scaled to 0')).toBeLessThan(blocks.indexOf('► Deployment/apps/web changed'));
    expect(blocks).toContain('Deployment/apps/web web: ghcr.io/acme/web:1.4.2 → ghcr.io/acme/web:1.5.0');
    expect(blocks).toContain('HelmRelease/apps/redis: 18.6.1 → 19.0.2');
  });

  it('marks the flags the policy guards as needing an admin', async () => {
    // Act
    const { report } = await diffOf('changes risky-platform');

    // Assess
    expect(JSON.stringify(report.blocks)).toContain('1 CRD deleted (needs an admin) · 1 Namespace deleted (needs an admin) · 2 volumes or StorageClasses deleted (needs an admin) · 2 RBAC changes (needs an admin) · 1 object in a protected namespace');
  });

  it('downloads the PR while it is still reading the Kustomization from the cluster', async () => {
    // Prepare: once the notice is out, the API server answers Kustomization reads only after the PR's
    // tarball has been asked for (or after 5 s, so a sequential worker fails the assertion, not the timeout).
    const pr = await world().openPullRequest('changes drifted-service');
    const button = diffButton(pr);
    let downloadStartedFirst = false;
    let polls = 0;
    world().kube.hold(
      /\/kustomizations\//,
      new Promise<void>((release) => {
        const poll = setInterval(() => {
          downloadStartedFirst = world().github.requests.some((r) => r.path.includes('/tarball/'));
          if (downloadStartedFirst || ++polls > 500) {
            clearInterval(poll);
            release();
          }
        }, 10);
      }),
    );

    // Act
    await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();

    // Assess
    expect(downloadStartedFirst).toBe(true);
    const report = world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1);
    expect(`${report?.text ?? ''}${JSON.stringify(report?.blocks ?? [])}`).toContain('created');
  });

  it('says "No changes" when flux exits 0', async () => {
    const { text } = await diffOf('no-changes');
    expect(text).toMatch(/No changes/);
  });

  it('keeps Secret values masked as flux masks them', async () => {
    const { text } = await diffOf('changes drifted-secret');
    expect(text).toContain('*** (before)');
  });

  it.each([
    ['build-error ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found', /namespaces \\?"new-ns\\?" not found/, /kustomization\.yaml|namespace/],
    ['hang', /did not finish/, /did not finish in time/],
    ['crash', /crashed|died|signal/i, /flux process died/],
  ])('reports a failed diff (%s) with flux’s error and what to check', async (scenario, error, hint) => {
    const { text } = await diffOf(scenario);
    expect(text).toMatch(/failed/);
    expect(text).toMatch(error);
    expect(text).toMatch(hint);
  });

  it.each([
    [{ cluster: 'down' }, /cluster down.*(unreachable|ECONNREFUSED)/i, /worker .* can reach it/],
    [{ cluster: 'broken' }, /kubeconfig file .*does not exist/, /fix this cluster's entry under `clusters` in config\.yaml/],
    [{ kustomization: 'flux-system/missing' }, /Kustomization flux-system\/missing not found/, /diff target/],
    [{ kustomization: 'flux-system/elsewhere' }, /acme\/platform/, /does not build from the PR's repository/],
    [{ kustomization: 'flux-system/oci' }, /OCIRepository flux-system\/manifests, which does not exist on stage/, /create the missing object/],
  ])('reports a diff that cannot run (%o) without running flux', async (options, error, hint) => {
    const { text } = await diffOf('changes drifted-service', options);
    expect(text).toMatch(/failed/);
    expect(text).toMatch(error);
    expect(text).toMatch(hint);
  });

  it('refuses to run a fork PR’s code for a non-admin under forks: diff-by-admin', async () => {
    const { text } = await diffOf('changes drifted-service', { repository: 'acme/forks', kustomization: 'flux-system/forks', forkOwner: 'mallory', user: 'U0BOB' });
    expect(text).toMatch(/failed/);
    expect(text).toMatch(/only Fluxline admins may diff it/);
  });

  it('runs a fork PR’s diff for an admin under forks: diff-by-admin, from the base repository’s tarball', async () => {
    const { text } = await diffOf('changes with-deployment', { repository: 'acme/forks', kustomization: 'flux-system/forks', forkOwner: 'mallory' });
    expect(text).toContain('4 created');
  });

  it('uploads a 1 MB diff as a file and keeps the summary and buttons in the message', async () => {
    // Act
    const { report, text } = await diffOf('huge 1000000');

    // Assess
    const file = world().slack.files.at(-1);
    expect(file?.content.length).toBeGreaterThan(900_000);
    expect(file?.threadTs).toBe(report.threadTs);
    expect(text).toMatch(/attached as a file/);
    expect(buttonsOf(report.blocks).map((b) => b.label)).toEqual(['Post diff to PR', 'Approve PR', 'View PR']);
  });

  describe('Post diff to PR and Approve PR', () => {
    /** Clicks a report's button; `secondsLater` moves the click past the 3 s in which a second click is a double click. */
    const press = async (report: { ts: string; threadTs?: string; blocks?: unknown[] }, label: string, user = 'U0ADMIN', secondsLater = 0) => {
      const button = buttonsOf(report.blocks).find((b) => b.label === label);
      if (!button) throw new Error(`no ${label} button`);
      const actionTs = (Date.now() / 1000 + secondsLater).toFixed(6);
      await world().click({ actionId: button.actionId, value: button.value, messageTs: report.ts, ...(report.threadTs ? { threadTs: report.threadTs } : {}), user, actionTs });
      await world().settle();
    };

    it('creates one sticky comment, then updates it in place', async () => {
      // Prepare
      const { pr, report } = await diffOf('changes drifted-service');

      // Act
      await press(report, 'Post diff to PR');
      await press(report, 'Post diff to PR', 'U0ADMIN', 10);

      // Assess
      const comments = world().github.comments.filter((c) => c.number === pr.number);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain('<!-- fluxline:diff:stage:flux-system/apps -->');
      // One collapsed section per object, so a reviewer opens the ones they care about.
      expect(comments[0]?.body).toContain('<details><summary>► Service/default/podinfo changed</summary>');
      expect(comments[0]?.body.match(/<details>/g)).toHaveLength(7);
      expect(comments[0]?.body).toContain('6 created · 1 changed · 0 deleted');
      expect(comments[0]?.body).toContain('Slack user alice (U0ADMIN)');
      expect(world().slack.messages.filter((m) => m.threadTs === pr.ts && /Diff (posted to|updated on) the PR/.test(m.text))).toHaveLength(2);
    });

    it('puts the risk flags at the top of the sticky comment', async () => {
      // Prepare
      const { pr, report } = await diffOf('changes risky-platform');

      // Act
      await press(report, 'Post diff to PR');

      // Assess
      const [comment] = world().github.comments.filter((c) => c.number === pr.number);
      expect(comment?.body).toContain('> [!CAUTION]\n> **1 CRD deleted (needs an admin) · 1 Namespace deleted (needs an admin)');
      expect(comment?.body.indexOf('[!CAUTION]')).toBeLessThan(comment?.body.indexOf('<details>') ?? 0);
    });

    it('refuses Approve PR from a mere approver when the policy guards a flag of the diff, naming the flags and the admins, and audits it', async () => {
      // Prepare
      const { pr, report } = await diffOf('changes risky-platform');

      // Act
      await press(report, 'Approve PR', 'U0APPROVER');

      // Assess
      expect(world().github.reviews.filter((r) => r.number === pr.number)).toHaveLength(0);
      const refusal = world().slack.ephemerals.at(-1)?.text;
      expect(refusal).toMatch(/need an admin to approve \(crd-deleted, namespace-deleted, storage-deleted, rbac;.*<@U0ADMIN>/);
      const audit = await (await world().runtime()).store.auditOfDay(new Date());
      expect(audit.find((entry) => entry.actor === 'U0APPROVER')).toMatchObject({ action: 'approve', outcome: 'refused', detail: 'policy: crd-deleted, namespace-deleted, storage-deleted, rbac need an admin' });
    });

    it('lets an approver approve a diff whose flags the policy does not guard, and an admin a guarded one, recording the flags covered', async () => {
      // Prepare
      const workloads = await diffOf('changes risky-workloads');
      const platform = await diffOf('changes risky-platform');

      // Act
      await press(workloads.report, 'Approve PR', 'U0APPROVER');
      await press(platform.report, 'Approve PR', 'U0ADMIN');

      // Assess
      expect(world().github.reviews.filter((r) => r.number === workloads.pr.number)).toHaveLength(1);
      const [review] = world().github.reviews.filter((r) => r.number === platform.pr.number);
      expect(review?.body).toContain('Risk flags: 1 CRD deleted (needs an admin)');
      const audit = await (await world().runtime()).store.auditOfDay(new Date());
      expect(audit.find((entry) => entry.actor === 'U0ADMIN' && entry.action === 'approve')?.detail).toContain('flags: 1 CRD deleted (needs an admin)');
    });

    it('truncates a 70,000-character diff to GitHub’s comment limit and says so', async () => {
      const { pr, report } = await diffOf('huge 70000');

      await press(report, 'Post diff to PR');

      const [comment] = world().github.comments.filter((c) => c.number === pr.number);
      expect(comment?.body.length).toBeLessThanOrEqual(65_536);
      expect(comment?.body).toMatch(/Diff truncated to fit GitHub's 65,536-character comment limit/);
      expect(comment?.body.trimEnd()).toMatch(/<\/details>\n\n_Diff truncated/);
    });

    it('approves as the Slack admin, naming them, the Kustomization, the cluster and the diffed SHA', async () => {
      const { pr, report } = await diffOf('no-changes');

      await press(report, 'Approve PR');

      const [review] = world().github.reviews.filter((r) => r.number === pr.number);
      expect(review).toMatchObject({ event: 'APPROVE', commit_id: pr.headSha });
      expect(review?.body).toMatch(new RegExp(`Slack user alice \\(U0ADMIN\\).*flux-system/apps.*stage.*${pr.headSha}`));
    });

    it('refuses to approve when new commits arrived after the diff', async () => {
      // Prepare: the diff ran on the first head; then a push moves it
      const { pr, report } = await diffOf('no-changes');
      const moved = (world().github.pullRequest('acme/fleet', pr.number) ?? {}) as Record<string, unknown>;
      world().github.addPullRequest({ payload: { ...moved, head: { ...(moved.head as Record<string, unknown>), sha: 'f'.repeat(40) } }, repository: 'acme/fleet', files: ['clusters/stage/apps.yaml'] });

      // Act
      await press(report, 'Approve PR');

      // Assess
      expect(world().github.reviews.filter((r) => r.number === pr.number)).toHaveLength(0);
      expect(world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1)?.text).toMatch(/new commits since this diff/);
    });

    it('turns GitHub’s 422 into words the approver can act on', async () => {
      const { pr, report } = await diffOf('no-changes');
      world().github.rejectReviews('Can not approve your own pull request');

      await press(report, 'Approve PR');
      world().github.rejectReviews(undefined);

      expect(world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1)?.text).toMatch(/Could not approve the PR: .*Can not approve your own pull request/);
    });
  });

  it('does not run or report a job twice when SQS redelivers its message', async () => {
    // Prepare: a finished job
    const { pr } = await diffOf('no-changes');
    const [job] = await (await world().runtime()).store.listJobsOfPullRequest('acme/fleet', pr.number);
    const before = world().slack.messages.length;
    const record = { messageId: 'm1', receiptHandle: 'r', body: jobMessageBody(job?.id ?? ''), attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:1:jobs', awsRegion: 'eu-west-1' };

    // Act
    const response = await handleJobMessages({ Records: [record] } as unknown as SQSEvent, {} as Context, world().env);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(world().slack.messages.length).toBe(before);
  });
});
