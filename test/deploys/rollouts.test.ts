import { beforeAll, describe, expect, it } from 'vitest';
import { receiveFluxEvent, rolloutMatches, type FluxEventDeps } from '../../lib/flows/deploys';
import { parseConfig } from '../../lib/core/config';
import { SlackApiError, type PostMessage, type SlackPort, type UpdateMessage } from '../../lib/adapters/slack';
import type { DeploymentRecord, PendingRollout, Store } from '../../lib/adapters/store';
import { fluxEventBody } from '../helpers/flux-requests';
import { freshStore } from '../helpers/store';
import { aDeployment } from '../helpers/deployments';

const config = parseConfig(`
slack: { channel: C0FLUX }
clusters: { prod: { kubeconfig: { file: /dev/null } } }
`, 'rollouts.test.ts');

/** A SlackPort that records what it was asked (the HTTP fake of Slack is exercised in test/functions). */
function recordingSlack() {
  const posted: PostMessage[] = [];
  const updated: UpdateMessage[] = [];
  const slack: SlackPort = {
    findPosted: () => Promise.resolve(undefined),
    postMessage: (m) => (posted.push(m), Promise.resolve({ channel: m.channel, ts: `${posted.length}.000` })),
    updateMessage: (m) => (updated.push(m), Promise.resolve({ channel: m.channel, ts: m.ts })),
    postEphemeral: () => Promise.resolve(),
    uploadFile: () => Promise.resolve(),
    respond: () => Promise.resolve(),
  };
  return { slack, posted, updated };
}

const rollout = (overrides: Partial<PendingRollout> = {}): PendingRollout => ({
  jobId: 'job-1',
  cluster: 'prod',
  app: 'podinfo',
  expect: { version: '6.5.4' },
  requester: { user: 'U0ADMIN', channel: 'C0FLUX', messageTs: '1700000000.000100' },
  action: 'promote',
  createdAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

const deployment = (overrides: Partial<DeploymentRecord> = {}): DeploymentRecord => aDeployment({ at: '2026-11-20T10:20:41.000Z', message: '', ...overrides });

describe('which deployment a pending rollout waits for', () => {
  it.each([
    ['the expected chart version', rollout(), deployment(), true],
    ['the expected chart version written with a v', rollout({ expect: { version: 'v6.5.4' } }), deployment(), true],
    ['another chart version', rollout(), deployment({ version: '6.5.3' }), false],
    ['another app', rollout({ app: 'shop' }), deployment(), false],
    ['a Kustomization at the expected commit', rollout({ expect: { commitSha: '9e1a3c5' } }), deployment({ kind: 'Kustomization', version: '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c' }), true],
    ['a Kustomization at another commit', rollout({ expect: { commitSha: '1234567' } }), deployment({ kind: 'Kustomization', version: '9e1a3c5f0d2b4a6e8c7d9f1b3a5c7e9d1f3b5a7c' }), false],
    ['a Kustomization when a chart version is expected', rollout(), deployment({ kind: 'Kustomization', version: '6.5.4' }), false],
  ])('%s: %s', (_what, pending, deployed, matches) => {
    expect(rolloutMatches(pending, deployed)).toBe(matches);
  });
});

describe('completing a pending rollout, when DynamoDB fails half-way', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('does not update Slack again when only the completion failed', async () => {
    // Prepare: the first completion fails after Slack took the update
    await store.putPendingRollout(rollout());
    const { slack, updated } = recordingSlack();
    let failCompletion = true;
    const flaky: Store = {
      ...store,
      completePendingRollout: async (cluster, jobId) => {
        if (failCompletion) {
          failCompletion = false;
          throw new Error('ProvisionedThroughputExceededException');
        }
        return store.completePendingRollout(cluster, jobId);
      },
    };
    const deps: FluxEventDeps = { config, store: flaky, slack };
    const body = fluxEventBody('helmrelease-upgrade-succeeded');

    // Act
    await expect(receiveFluxEvent(deps, 'prod', body)).rejects.toThrow(/ProvisionedThroughput/);
    const retried = await receiveFluxEvent(deps, 'prod', body);

    // Assess
    expect(retried).toMatchObject({ status: 'recorded', rollouts: ['job-1'] });
    expect(updated).toHaveLength(1);
    expect(await store.pendingRolloutsOn('prod')).toEqual([]);
    expect((await store.auditOfDay(new Date())).filter((e) => e.target === 'podinfo@6.5.4 on prod')).toHaveLength(1);
  });

  it('lets only one of two racing deliveries report, and the other answer retry', async () => {
    // Prepare
    await store.putPendingRollout(rollout({ jobId: 'job-race', app: 'race' }));
    const { slack, updated } = recordingSlack();
    const deps: FluxEventDeps = { config, store, slack };
    const body = fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'race' } });

    // Act
    const results = await Promise.allSettled([receiveFluxEvent(deps, 'prod', body), receiveFluxEvent(deps, 'prod', body)]);
    const retried = await receiveFluxEvent(deps, 'prod', body);

    // Assess
    expect(updated).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    for (const r of rejected) expect(String(r.reason)).toMatch(/being reported by another request|retry/);
    expect(retried).toMatchObject({ status: 'recorded' });
    expect((await store.pendingRolloutsOn('prod')).map((r) => r.jobId)).not.toContain('job-race');
  });

  it('completes the rollout when Slack refuses for good (the message is gone), saying so in the log', async () => {
    // Prepare
    await store.putPendingRollout(rollout({ jobId: 'job-gone', app: 'gone' }));
    const { slack } = recordingSlack();
    const refusing: SlackPort = { ...slack, updateMessage: () => Promise.reject(new SlackApiError('chat.update', 'message_not_found', undefined)) };

    // Act
    const outcome = await receiveFluxEvent({ config, store, slack: refusing }, 'prod', fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'gone' } }));

    // Assess
    expect(outcome).toMatchObject({ rollouts: ['job-gone'] });
    expect((await store.pendingRolloutsOn('prod')).map((r) => r.jobId)).not.toContain('job-gone');
  });
});
