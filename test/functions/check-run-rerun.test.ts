import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { handleGithubWebhook } from '../../functions/github-webhook';
import { inProcessQueueOf } from '../../functions/compose/runtime';
import { logger } from '../../lib/core/log';
import { githubDeliveryEvent } from '../helpers/github-payloads';
import { APP_ID, diffButton, SECRETS, useWorld } from '../helpers/world';

type Json = Record<string, unknown>;

/** GitHub's own example of a check_run action (@octokit/webhooks-examples), re-homed to a run Fluxline made. */
function checkRunPayload(action: 'rerequested' | 'requested_action' | 'completed', run: { name: string; headSha: string; externalId?: string; number?: number; appId?: number; identifier?: string; repository?: string }): Json {
  const definition = (examples as { name: string; examples: Json[] }[]).find((d) => d.name === 'check_run');
  const found = definition?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no GitHub example for check_run.${action}`);
  const payload = structuredClone(found);
  const repository = run.repository ?? 'acme/fleet';
  const checkRun = payload.check_run as Json;
  Object.assign(checkRun, {
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId ?? '',
    app: { ...(checkRun.app as Json), id: run.appId ?? Number(APP_ID) },
    // GitHub lists no PR for a run on a fork's commit.
    pull_requests: run.number ? [{ url: `https://api.github.com/repos/${repository}/pulls/${run.number}`, id: 1, number: run.number, head: { ref: 'feature', sha: run.headSha, repo: { id: 1, name: 'fleet' } }, base: { ref: 'main', sha: 'b'.repeat(40), repo: { id: 1, name: 'fleet' } } }] : [],
  });
  if (action === 'requested_action') payload.requested_action = { identifier: run.identifier ?? 'run-flux-diff' };
  Object.assign(payload.repository as Json, { full_name: repository, name: repository.split('/')[1] });
  payload.installation = { id: 4242 };
  payload.sender = { ...(payload.sender as Json), login: 'octocat' };
  return payload;
}

describe('re-running a diff from GitHub: Re-run and the "Run flux diff" button of a check run', () => {
  const world = useWorld();

  const deliver = (payload: Json, options: { deliveryId?: string; signature?: string | null; secret?: string } = {}) =>
    handleGithubWebhook(githubDeliveryEvent('check_run', payload, { secret: options.secret ?? SECRETS.webhook, ...options }), world().env);
  const jobsOf = async (number: number) => (await world().runtime()).store.listJobsOfPullRequest('acme/fleet', number);
  const threadOf = (ts: string) => world().slack.messages.filter((m) => m.threadTs === ts);

  /** A PR whose flux-system/apps @ stage diff ran once from Slack: its completed check run. */
  async function diffedPullRequest(scenario = 'no-changes') {
    const pr = await world().openPullRequest(scenario);
    await world().click({ ...diffButton(pr), messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();
    const run = world().github.checkRuns.find((r) => r.headSha === pr.headSha);
    if (!run) throw new Error('no check run');
    return { pr, run };
  }

  it.each(['rerequested', 'requested_action'] as const)('check_run.%s queues the same diff job as the button, in the PR’s thread, with a new run on the head', async (action) => {
    // Prepare
    const { pr, run } = await diffedPullRequest('changes drifted-service');

    // Act
    const response = await deliver(checkRunPayload(action, { name: run.name, headSha: pr.headSha, externalId: run.externalId ?? '', number: pr.number }));
    await world().settle();

    // Assess
    expect(response.statusCode).toBe(202);
    const jobs = await jobsOf(pr.number);
    expect(jobs).toHaveLength(2);
    const rerun = jobs.find((job) => job.requester.user === 'github:octocat');
    expect(rerun).toMatchObject({ kind: 'diff', status: 'succeeded', requester: { channel: 'C0FLUX', threadTs: pr.ts }, inputs: { repository: 'acme/fleet', number: pr.number, kustomization: 'flux-system/apps', cluster: 'stage', headSha: pr.headSha } });
    const asked = threadOf(pr.ts).find((m) => m.text.includes('octocat asked for the diff'));
    expect(asked?.text).toContain(`octocat asked for the diff of \`flux-system/apps\` on \`stage\` on GitHub (${action === 'rerequested' ? 'Re-run' : 'Run flux diff'}, \`${pr.headSha.slice(0, 7)}\`): queued`);
    expect(JSON.stringify(threadOf(pr.ts).at(-1)?.blocks)).toContain('Requested by octocat on GitHub');
    const runs = world().github.checkRuns.filter((r) => r.headSha === pr.headSha);
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ name: run.name, externalId: rerun?.id, conclusion: 'neutral', history: ['queued', 'in_progress', 'completed'] });
  });

  it('finds the PR of a run GitHub lists no PR for (a fork’s head) by the run’s external_id', async () => {
    const { pr, run } = await diffedPullRequest();

    await deliver(checkRunPayload('rerequested', { name: run.name, headSha: pr.headSha, externalId: run.externalId ?? '' }));
    await world().settle();

    expect(await jobsOf(pr.number)).toHaveLength(2);
  });

  it('runs one diff per delivery however often GitHub delivers it, and one per target and head however often it is asked', async () => {
    // Prepare: a diff that is still running (flux hangs until its timeout) when the second ask arrives.
    const { pr, run } = await diffedPullRequest('hang');
    const first = checkRunPayload('rerequested', { name: run.name, headSha: pr.headSha, externalId: run.externalId ?? '', number: pr.number });
    const deliveryId = randomUUID();

    // Act: the delivery, its redelivery, and a click on Run flux diff while that diff runs.
    await deliver(first, { deliveryId });
    await deliver(first, { deliveryId });
    await deliver(checkRunPayload('requested_action', { name: run.name, headSha: pr.headSha, externalId: run.externalId ?? '', number: pr.number }));
    await world().settle();

    // Assess
    expect(await jobsOf(pr.number)).toHaveLength(2);
    const asked = threadOf(pr.ts).filter((m) => m.text.includes('octocat asked for the diff'));
    expect(asked.map((m) => m.text.replace(/^.*\): /, ''))).toEqual([expect.stringMatching(/^queued/), expect.stringMatching(/^a diff of it is already queued or running \(job `slack-[0-9a-f]+`\)/)]);
    expect(world().github.checkRuns.filter((r) => r.headSha === pr.headSha)).toHaveLength(2);
  });

  it('refuses the events of another GitHub App’s runs, and requested actions that are not Fluxline’s', async () => {
    // Prepare
    const { pr, run } = await diffedPullRequest();
    const messages = world().slack.messages.length;
    const warnings = vi.spyOn(logger, 'warn');

    // Act
    const foreign = await deliver(checkRunPayload('rerequested', { name: run.name, headSha: pr.headSha, externalId: run.externalId ?? '', number: pr.number, appId: 999 }));
    await deliver(checkRunPayload('requested_action', { name: run.name, headSha: pr.headSha, number: pr.number, identifier: 'lgtm' }));
    await world().settle();

    // Assess: durable first (202), then nothing done with them.
    expect(foreign.statusCode).toBe(202);
    expect(await jobsOf(pr.number)).toHaveLength(1);
    expect(world().slack.messages).toHaveLength(messages);
    const ignored = warnings.mock.calls.filter(([message]) => message === 'check_run event ignored').map(([, context]) => (context as { reason?: string }).reason);
    expect(ignored).toEqual(['check run of another GitHub App (999)', "requested action lgtm is not Fluxline's"]);
    warnings.mockRestore();
  });

  it.each([
    ['a missing signature', { signature: null }],
    ['a bad signature', { secret: 'not-the-webhook-secret' }],
  ] as const)('refuses a check_run event with %s (401) and queues nothing', async (_, options) => {
    const { pr, run } = await diffedPullRequest();

    const response = await deliver(checkRunPayload('rerequested', { name: run.name, headSha: pr.headSha, number: pr.number }), options);
    await world().settle();

    expect(response.statusCode).toBe(401);
    expect(await jobsOf(pr.number)).toHaveLength(1);
  });

  it('acknowledges the created and completed events of its own runs without queueing them', async () => {
    const { pr, run } = await diffedPullRequest();
    const send = vi.spyOn(inProcessQueueOf(world().env, 'githubDeliveries'), 'send');

    const response = await deliver(checkRunPayload('completed', { name: run.name, headSha: pr.headSha, number: pr.number }));

    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body ?? '{}')).toEqual({ status: 'ignored', reason: 'check_run.completed is not handled' });
    expect(send).not.toHaveBeenCalled();
    send.mockRestore();
  });

  it('says in the thread why a re-run of a target the PR does not offer is refused', async () => {
    const { pr } = await diffedPullRequest();

    await deliver(checkRunPayload('rerequested', { name: 'fluxline / stage / flux-system/unknown', headSha: pr.headSha, number: pr.number }));
    await world().settle();

    expect(await jobsOf(pr.number)).toHaveLength(1);
    expect(threadOf(pr.ts).at(-1)?.text).toMatch(/octocat asked for the diff of `flux-system\/unknown` on `stage` on GitHub \(Re-run, `[0-9a-f]{7}`\): not run, \S/);
  });
});
