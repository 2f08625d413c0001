import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantity, resolveClusterAccess, type ClusterConnection } from '../../lib/adapters/kube';
import { ExecutorRefusal, kubectlConfigSchema, type KubectlConfig } from '../../lib/core/executors';
import { kubectlExecutor } from '../../lib/flows/executors';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';

const config = (overrides: Partial<KubectlConfig> = {}): KubectlConfig =>
  kubectlConfigSchema.parse({ verbs: ['get', 'top', 'api-resources'], resources: ['pods', 'nodes', 'deployments', 'jobs'], namespaces: ['podinfo', 'web'], ...overrides });

const podMetrics = (namespace: string, name: string, containers: [string, string][]) => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: { name, namespace },
  timestamp: '2026-12-07T06:00:00Z',
  window: '15s',
  containers: containers.map(([cpu, memory], i) => ({ name: `c${i}`, usage: { cpu, memory } })),
});

describe('kubectl top and api-resources against the Kubernetes API', () => {
  let fake: FakeKubernetes;
  let bare: FakeKubernetes;
  let cluster: ClusterConnection;
  let withoutMetrics: ClusterConnection;
  const run = (line: string, configs: KubectlConfig[] = [config()], on = () => cluster) => kubectlExecutor.execute({ args: line.split(' '), configs, requester: 'U0DEV', channel: 'C0STAGE', cluster: on() });

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: 'worker-token' });
    bare = await startFakeKubernetes({ token: 'worker-token', metrics: false });
    cluster = await resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(fake.kubeconfigYaml()) }, { impersonate: { user: 'fluxline-stage' } });
    withoutMetrics = await resolveClusterAccess('bare', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(bare.kubeconfigYaml()) }, {});
    fake.put(podMetrics('podinfo', 'podinfo-2', [['250m', '64Mi']]));
    fake.put(podMetrics('podinfo', 'podinfo-1', [['12345678n', '32768Ki'], ['3m', '16Mi']]));
    fake.put(podMetrics('web', 'web-1', [['1', '1Gi']]));
    fake.put(podMetrics('kube-system', 'etcd-0', [['900m', '2Gi']]));
    fake.put({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name: 'node-a' }, timestamp: '2026-12-07T06:00:00Z', window: '20s', usage: { cpu: '1500m', memory: '4Gi' } });
  });
  afterAll(async () => {
    await fake.stop();
    await bare.stop();
  });

  it('reads pod usage from metrics.k8s.io, containers summed, in kubectl’s units, as the channel’s identity', async () => {
    // Act
    const answer = await run('top pods -n podinfo');

    // Assess
    expect(answer.blocks).toEqual([
      { type: 'section', text: 'kubectl top pods -n podinfo on stage' },
      { type: 'table', header: ['NAME', 'CPU(cores)', 'MEMORY(bytes)'], rows: [['podinfo-1', '15m', '48Mi'], ['podinfo-2', '250m', '64Mi']] },
    ]);
    const metricsCalls = fake.requests.filter((r) => r.path.startsWith('/apis/metrics.k8s.io/'));
    expect(metricsCalls.map((r) => r.path)).toEqual(['/apis/metrics.k8s.io/v1beta1/namespaces/podinfo/pods']);
    expect(metricsCalls.every((r) => r.impersonateUser === 'fluxline-stage')).toBe(true);
  });

  it('reads each allowed namespace for -A, never the whole cluster', async () => {
    const answer = await run('top pods -A');

    expect(answer.blocks[1]).toEqual({ type: 'table', header: ['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'], rows: [['podinfo', 'podinfo-1', '15m', '48Mi'], ['podinfo', 'podinfo-2', '250m', '64Mi'], ['web', 'web-1', '1000m', '1024Mi']] });
    expect(JSON.stringify(answer)).not.toContain('etcd-0');
    expect(fake.requests.some((r) => r.path === '/apis/metrics.k8s.io/v1beta1/pods')).toBe(false);
  });

  it('reads node usage, and one pod by name', async () => {
    expect((await run('top nodes')).blocks[1]).toEqual({ type: 'table', header: ['NAME', 'CPU(cores)', 'MEMORY(bytes)'], rows: [['node-a', '1500m', '4096Mi']] });
    expect((await run('top pod podinfo-2 -n podinfo')).blocks[1]).toMatchObject({ rows: [['podinfo-2', '250m', '64Mi']] });
  });

  it('says in plain words when the cluster has no metrics API', async () => {
    await expect(run('top pods -n podinfo', [config()], () => withoutMetrics)).rejects.toThrow(/metrics API \(metrics\.k8s\.io\) is not available: is metrics-server installed\?/);
  });

  it.each([
    ['top, when the channel was not given it', 'top pods -n podinfo', /`kubectl top` is not allowed here/, [config({ verbs: ['get'] })]],
    ['top of nodes, when nodes are not an allowed resource', 'top nodes', /`nodes` is not a resource this channel may read/, [config({ resources: ['pods'] })]],
    ['top of anything but pods and nodes', 'top deployments -n podinfo', /`kubectl top` reads pods or nodes only/],
    ['top in a namespace outside the allow-list', 'top pods -n kube-system', /Namespace `kube-system` is not one this channel may read/],
    ['top with a connection flag', 'top pods -n podinfo --server https://evil.example', /`--server` is refused/],
    ['api-resources, when the channel was not given it', 'api-resources', /`kubectl api-resources` is not allowed here/, [config({ verbs: ['get'] })]],
    ['api-resources with options', 'api-resources -n podinfo', /takes no arguments or options/],
    ['api-resources with a connection flag', 'api-resources --kubeconfig /tmp/x', /`--kubeconfig` is refused/],
  ])('refuses %s before calling the cluster', async (_what, line, reason, configs?: KubectlConfig[]) => {
    const before = fake.requests.length;

    await expect(run(line, configs)).rejects.toThrow(ExecutorRefusal);
    await expect(run(line, configs)).rejects.toThrow(reason);
    expect(fake.requests.length).toBe(before);
  });

  it('lists by discovery only the resources the channel may read, and says which this cluster does not serve', async () => {
    // Act
    const answer = await run('api-resources');

    // Assess: pods and deployments are served; nodes (core, not served by the fake) and jobs (batch/v1) are not
    expect(answer.blocks).toEqual([
      { type: 'section', text: 'kubectl api-resources on stage' },
      { type: 'table', header: ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows: [['pods', 'po', 'v1', 'true', 'Pod'], ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']] },
      { type: 'text', text: 'Allowed here but not served by this cluster: nodes, jobs.' },
    ]);
    expect(JSON.stringify(answer)).not.toMatch(/secrets|kustomizations/);
  });

  it.each([
    ['250m', 0.25],
    ['12345678n', 0.012345678],
    ['1', 1],
    ['32768Ki', 32 * 2 ** 20],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['2e3', 2000],
  ])('reads the quantity %s', (text, value) => {
    expect(quantity(text)).toBeCloseTo(value, 12);
  });

  it.each(['lots', '12Qi', '', '-1'])('reads %j as no quantity', (text) => {
    expect(quantity(text)).toBeNaN();
  });

  it('refuses metrics whose usage is not a quantity, in one plain line', async () => {
    fake.put(podMetrics('web', 'web-2', [['fast', '1Mi']]));

    await expect(run('top pods -n web')).rejects.toThrow(/PodMetrics.*containers\.0\.usage\.cpu: must be a Kubernetes quantity/);
    fake.remove({ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', name: 'web-2', namespace: 'web' });
  });
});
