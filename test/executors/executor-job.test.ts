import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/core/config';
import type { PostMessage, SlackPort, UpdateMessage } from '../../lib/adapters/slack';
import type { JobRecord } from '../../lib/adapters/store';
import { EXECUTOR_JOB, executeExecutorJob, reportExecutorJob } from '../../lib/flows/executors';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';
import { closedPort } from '../helpers/world';
import { freshStore } from '../helpers/store';

const configText = `
slack:
  channel: C0FLUX
  channels:
    C0STAGE: { clusters: [stage], executors: [kubectl-read], user: fluxline-stage }
    C0OTHER: { clusters: [stage] }
clusters:
  stage: { kubeconfig: { ssm: /fluxline/kubeconfig/stage } }
executors:
  kubectl-read: { use: kubectl, config: { verbs: [get], resources: [pods], namespaces: [podinfo] } }
`;

function recordingSlack() {
  const updates: UpdateMessage[] = [];
  const posts: PostMessage[] = [];
  const slack = {
    updateMessage: (m: UpdateMessage) => (updates.push(m), Promise.resolve({ channel: m.channel, ts: m.ts })),
    postMessage: (m: PostMessage) => (posts.push(m), Promise.resolve({ channel: m.channel, ts: '1700000000.000200' })),
  } as unknown as SlackPort;
  return { slack, updates, posts };
}

const job = (args: string[], channel = 'C0STAGE'): JobRecord => ({
  id: `slack-${Math.random().toString(16).slice(2)}`,
  kind: EXECUTOR_JOB,
  status: 'running',
  requester: { user: 'U0DEV', channel, messageTs: '1700000000.000100' },
  inputs: { executor: 'kubectl', bindings: ['kubectl-read'], args, cluster: 'stage', impersonate: { user: 'fluxline-stage' } },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  attempts: 1,
});

describe('executor jobs in the worker', () => {
  let fake: FakeKubernetes;
  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: 'worker-token' });
    fake.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: '<!channel>', namespace: 'podinfo' }, spec: { containers: [] }, status: { phase: 'Running' } });
  });
  afterAll(async () => fake.stop());

  it('runs kubectl on the cluster and replaces the running message with its table, escaped', async () => {
    // Prepare
    const deps = { config: parseConfig(configText, 'config.yaml'), store: await freshStore(), readParameter: () => Promise.resolve(fake.kubeconfigYaml()), ...recordingSlack() };
    const queued = job(['get', 'pods']);

    // Act
    await executeExecutorJob(deps, queued);
    await reportExecutorJob(deps, { ...queued, status: 'succeeded' });

    // Assess
    expect(deps.updates).toHaveLength(1);
    const json = JSON.stringify(deps.updates[0]?.blocks);
    expect(json).toContain('kubectl get pods -n podinfo on stage');
    expect(json).toContain('&lt;!channel&gt;');
    expect(json).not.toContain('<!channel>');
  });

  it('tells a refusal in plain words and does not fail the job', async () => {
    const deps = { config: parseConfig(configText, 'config.yaml'), store: await freshStore(), readParameter: () => Promise.resolve(fake.kubeconfigYaml()), ...recordingSlack() };
    const queued = job(['get', 'pods', '--token', 'abc']);

    expect(await executeExecutorJob(deps, queued)).toEqual({ outcome: { result: 'refused' } });
    await reportExecutorJob(deps, { ...queued, status: 'succeeded' });

    expect(JSON.stringify(deps.updates[0]?.blocks)).toContain('`--token` is refused');
  });

  it('does not run configurations no longer bound to the channel', async () => {
    const deps = { config: parseConfig(configText, 'config.yaml'), store: await freshStore(), readParameter: () => Promise.resolve(fake.kubeconfigYaml()), ...recordingSlack() };

    await expect(executeExecutorJob(deps, job(['get', 'pods'], 'C0OTHER'))).rejects.toThrow('kubectl is no longer bound to this channel');
  });

  it('reports an unreachable cluster in one plain line, never a stack trace', async () => {
    // Prepare: the cluster's endpoint refuses connections
    const port = await closedPort();
    const deps = { config: parseConfig(configText, 'config.yaml'), store: await freshStore(), readParameter: () => Promise.resolve(fake.kubeconfigYaml().replace(fake.url, `http://127.0.0.1:${port}`)), ...recordingSlack() };
    const queued = job(['get', 'pods']);

    // Act
    const error = await executeExecutorJob(deps, queued).then(() => undefined, (err: Error) => err);
    await reportExecutorJob(deps, { ...queued, status: 'failed', error: `${error?.message ?? ''}\n    at stack (frame.js:1:1)` });

    // Assess
    const json = JSON.stringify(deps.updates[0]);
    expect(json).toContain('kubectl get pods failed');
    expect(json).not.toContain('frame.js');
  });
});
