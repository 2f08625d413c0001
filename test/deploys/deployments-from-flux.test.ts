import { beforeAll, describe, expect, it } from 'vitest';
import { deploymentHistoryText, receiveFluxEvent, rolloutMatches, type FluxEventDeps } from '../../lib/flows/deploys';
import { parseConfig } from '../../lib/core/config';
import type { PostMessage, SlackPort, UpdateMessage } from '../../lib/adapters/slack';
import type { PendingRollout, Store } from '../../lib/adapters/store';
import { fluxEventBody } from '../helpers/flux-requests';
import { freshStore } from '../helpers/store';
import { aDeployment } from '../helpers/deployments';

const config = parseConfig(`
slack: { channel: C0FLUX }
clusters: { prod: { kubeconfig: { file: /dev/null } } }
`, 'deployments-from-flux.test.ts');

function recordingSlack() {
  const updated: UpdateMessage[] = [];
  const slack: SlackPort = {
    postMessage: (m: PostMessage) => Promise.resolve({ channel: m.channel, ts: '1.000' }),
    updateMessage: (m) => (updated.push(m), Promise.resolve({ channel: m.channel, ts: m.ts })),
    postEphemeral: () => Promise.resolve(),
    uploadFile: () => Promise.resolve(),
    respond: () => Promise.resolve(),
    findPosted: () => Promise.resolve(undefined),
  };
  return { slack, updated };
}

const SHA = (c: string) => c.repeat(40);
const APPS = { kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps' };

const rollout = (overrides: Partial<PendingRollout> = {}): PendingRollout => ({
  jobId: 'job-1',
  cluster: 'prod',
  app: 'api',
  object: APPS,
  expect: { commitSha: SHA('a'), previousRevision: `main@sha1:${SHA('1')}`, appVersion: '2.0.2' },
  requester: { user: 'U0ADMIN', channel: 'C0FLUX', messageTs: '1700000000.000100' },
  action: 'promote',
  createdAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

describe('which Flux object and revision complete a rollout', () => {
  const kustomizationAt = (sha: string, at = '2026-11-20T10:05:00.000Z') => aDeployment({ ...APPS, revision: `main@sha1:${sha}`, version: sha, reason: 'ReconciliationSucceeded', at });

  it.each([
    ['the owning Kustomization, whatever its name, at the commit', rollout(), kustomizationAt(SHA('a')), true],
    ['the owning Kustomization at a later commit that landed after ours', rollout(), kustomizationAt(SHA('b')), true],
    ['the owning Kustomization still at the revision before the promote', rollout(), kustomizationAt(SHA('1')), false],
    ['a later revision reported before the promote was asked', rollout(), kustomizationAt(SHA('b'), '2026-11-20T09:59:00.000Z'), false],
    ['another Kustomization at the commit', rollout(), aDeployment({ ...APPS, name: 'infra', version: SHA('a'), kind: 'Kustomization' }), false],
    ['a HelmRelease of the same name in another namespace', rollout({ app: 'podinfo', object: { kind: 'HelmRelease', namespace: 'web', name: 'podinfo' }, expect: { version: '6.5.4' } }), aDeployment({ namespace: 'other' }), false],
    ['a values-only upgrade of the HelmRelease after the request', rollout({ app: 'podinfo', object: { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' }, expect: { anyUpgrade: true, appVersion: '6.5.5' } }), aDeployment({ at: '2026-11-20T10:05:00.000Z' }), true],
    ['an upgrade of the HelmRelease before the request', rollout({ app: 'podinfo', object: { kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo' }, expect: { anyUpgrade: true } }), aDeployment({ at: '2026-11-20T09:00:00.000Z' }), false],
  ])('%s: %s', (_what, pending, deployed, matches) => {
    expect(rolloutMatches(pending, deployed)).toBe(matches);
  });
});

describe('deployments recorded from Flux events', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshStore();
  });

  it('records a Kustomization reconciled every interval at the same revision once, not once per interval', async () => {
    // Prepare
    const { slack } = recordingSlack();
    const deps: FluxEventDeps = { config, store, slack };
    const at = (minute: string) => fluxEventBody('kustomization-reconciliation-succeeded', { involvedObject: { name: 'interval' }, timestamp: `2026-11-20T10:${minute}:02Z` });

    // Act
    for (const minute of ['15', '25', '35']) await receiveFluxEvent(deps, 'prod', at(minute));

    // Assess
    const history = await store.deploymentHistory('prod', { kind: 'Kustomization', namespace: 'apps', name: 'interval' });
    expect(history).toHaveLength(1);
    expect(history[0]?.at).toBe('2026-11-20T10:15:02.000Z');
  });

  it('records a values-only Helm upgrade (same chart, other config digest) as a deployment of its own', async () => {
    // Prepare
    const { slack } = recordingSlack();
    const deps: FluxEventDeps = { config, store, slack };
    const upgrade = (token: string, timestamp: string) => fluxEventBody('helmrelease-upgrade-succeeded', { involvedObject: { name: 'values' }, metadata: { token }, timestamp });

    // Act
    await receiveFluxEvent(deps, 'prod', upgrade('sha256:aaaa', '2026-11-20T10:20:41Z'));
    await receiveFluxEvent(deps, 'prod', upgrade('sha256:bbbb', '2026-11-20T11:20:41Z'));

    // Assess
    const history = await store.deploymentHistory('prod', { kind: 'HelmRelease', namespace: 'podinfo', name: 'values' });
    expect(history.map((d) => [d.version, d.configDigest])).toEqual([
      ['6.5.4', 'sha256:bbbb'],
      ['6.5.4', 'sha256:aaaa'],
    ]);
  });

  it('completes an image promote on its owning Kustomization, records the tag with the commit, and says "applied" when Flux checks no health', async () => {
    // Prepare
    const { slack, updated } = recordingSlack();
    const deps: FluxEventDeps = { config, store, slack };
    await store.putPendingRollout(rollout({ jobId: 'job-image', object: { kind: 'Kustomization', namespace: 'apps', name: 'webapp' }, expect: { commitSha: '9e1a3c5', appVersion: '2.0.2' }, readiness: 'applied' }));

    // Act
    const outcome = await receiveFluxEvent(deps, 'prod', fluxEventBody('kustomization-reconciliation-succeeded', { timestamp: '2026-11-20T12:00:00Z' }));

    // Assess
    expect(outcome).toMatchObject({ status: 'recorded', rollouts: ['job-image'] });
    expect(updated[0]?.text).toMatch(/^:ballot_box_with_check: api `2\.0\.2` applied on `prod`.*does not say it runs/);
    const [latest] = await store.deploymentHistory('prod', { kind: 'Kustomization', namespace: 'apps', name: 'webapp' });
    expect(latest).toMatchObject({ app: 'api', appVersion: '2.0.2', readiness: 'applied', by: { jobId: 'job-image' } });
    // `/flux history api` finds it although the Kustomization is named webapp.
    expect(await deploymentHistoryText({ config, store }, { app: 'api' })).toMatch(/`prod` · `2\.0\.2 \(9e1a3c5\)` · ReconciliationSucceeded \(Kustomization apps\/webapp\) · applied, health not checked · <@U0ADMIN> \(promote\)/);
  });
});
