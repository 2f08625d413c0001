import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClusterAccess, type ClusterConnection } from '../../lib/adapters/kube';
import { ExecutorRefusal, kubectlConfigSchema, type KubectlConfig } from '../../lib/core/executors';
import { kubectlExecutor } from '../../lib/flows/executors';
import { startFakeKubernetes, type FakeKubernetes } from '../fakes/kubernetes';

const config = (overrides: Partial<KubectlConfig> = {}): KubectlConfig => kubectlConfigSchema.parse({ verbs: ['get', 'describe', 'logs'], resources: ['deployments', 'pods', 'services'], namespaces: ['podinfo', 'web'], ...overrides });

describe('the kubectl executor against the Kubernetes API', () => {
  let fake: FakeKubernetes;
  let cluster: ClusterConnection;
  const run = (line: string, configs: KubectlConfig[] = [config()]) => kubectlExecutor.execute({ args: line.split(' '), configs, requester: 'U0DEV', channel: 'C0STAGE', cluster });

  beforeAll(async () => {
    fake = await startFakeKubernetes({ token: 'worker-token' });
    cluster = await resolveClusterAccess('stage', { kubeconfig: { ssm: '/k' } }, { readParameter: () => Promise.resolve(fake.kubeconfigYaml()) }, { impersonate: { user: 'fluxline-stage' } });
    fake.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'podinfo-1', namespace: 'podinfo' }, spec: { containers: [{ name: 'app' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 2 }] } });
    fake.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'web' }, spec: { containers: [{ name: 'app' }] }, status: { phase: 'Pending' } });
    fake.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'secret-pod', namespace: 'kube-system' }, spec: { containers: [{ name: 'app' }] } });
    fake.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'podinfo', namespace: 'podinfo', managedFields: [{ manager: 'flux' }] }, spec: { replicas: 2 }, status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 } });
    fake.putLog({ namespace: 'podinfo', pod: 'podinfo-1' }, Array.from({ length: 500 }, (_, i) => `line ${i + 1}\n`).join(''));
  });
  afterAll(async () => fake.stop());

  it('gets pods as a table with a menu that runs logs of each, as the channel’s identity', async () => {
    // Act
    const answer = await run('get pods -n podinfo');

    // Assess
    expect(answer.blocks).toEqual([
      { type: 'section', text: 'kubectl get pods -n podinfo on stage' },
      { type: 'table', header: ['NAME', 'READY', 'STATUS', 'RESTARTS'], rows: [['podinfo-1', '1/1', 'Running', '2']] },
      { type: 'select', placeholder: 'Logs of…', options: [{ label: 'logs podinfo/podinfo-1', command: 'kubectl logs podinfo-1 -n podinfo' }] },
    ]);
    expect(fake.requests.filter((r) => r.path.endsWith('/pods')).every((r) => r.impersonateUser === 'fluxline-stage')).toBe(true);
  });

  it('reads every allowed namespace for -A, one by one, never the whole cluster', async () => {
    const answer = await run('get po -A');

    expect(answer.blocks[1]).toMatchObject({ type: 'table', header: ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS'], rows: [['podinfo', 'podinfo-1', '1/1', 'Running', '2'], ['web', 'web-1', '0/1', 'Pending', '0']] });
    expect(JSON.stringify(answer)).not.toContain('secret-pod');
    expect(fake.requests.some((r) => r.path === '/api/v1/pods')).toBe(false);
  });

  it('describes one object as YAML without its managed fields', async () => {
    const answer = await run('describe deploy podinfo -n podinfo');

    expect(answer.blocks[1]).toMatchObject({ type: 'code', text: expect.stringContaining('readyReplicas: 1') });
    expect(JSON.stringify(answer)).not.toContain('managedFields');
  });

  it('caps logs in lines and bytes, asking the API server for no more', async () => {
    // Act
    const lines = await run('logs podinfo-1 -n podinfo --tail 1000', [config({ maxLogLines: 50 })]);
    const bytes = await run('logs podinfo-1 -n podinfo', [config({ maxLogBytes: 64 })]);

    // Assess
    const text = (answer: typeof lines) => (answer.blocks[1]?.type === 'code' ? answer.blocks[1].text : '');
    expect(text(lines).split('\n').filter(Boolean)).toHaveLength(50);
    expect(text(lines)).toMatch(/^line 451\n[\s\S]*line 500\n$/);
    expect(Buffer.byteLength(text(bytes))).toBeLessThanOrEqual(64);
    expect(fake.requests.filter((r) => r.path.endsWith('/log')).map((r) => r.query)).toEqual(expect.arrayContaining([expect.stringContaining('tailLines=50'), expect.stringContaining('limitBytes=64')]));
  });

  it.each([
    ['a verb outside the allow-list', 'delete pods podinfo-1 -n podinfo', /`kubectl delete` is not allowed here/],
    ['an allowed verb the channel was not given', 'logs podinfo-1 -n podinfo', /`kubectl logs` is not allowed here/, [config({ verbs: ['get'] })]],
    ['a resource outside the allow-list', 'get configmaps -n podinfo', /`configmaps` is not a resource this channel may read/],
    ['secrets, whatever the allow-list', 'get secrets -n podinfo', /`secrets` is not a resource/],
    ['a namespace outside the allow-list', 'get pods -n kube-system', /Namespace `kube-system` is not one this channel may read/],
    ['--kubeconfig', 'get pods -n podinfo --kubeconfig /tmp/x', /`--kubeconfig` is refused/],
    ['--server', 'get pods -n podinfo --server=https://evil.example', /`--server` is refused/],
    ['-s', 'get pods -n podinfo -s https://evil.example', /`-s` is refused/],
    ['--as', 'get pods -n podinfo --as system:admin', /`--as` is refused/],
    ['--as-group', 'get pods -n podinfo --as-group system:masters', /`--as-group` is refused/],
    ['--token', 'get pods -n podinfo --token abc', /`--token` is refused/],
    ['--context', 'get pods -n podinfo --context prod', /`--context` is refused/],
    ['--insecure-skip-tls-verify', 'get pods -n podinfo --insecure-skip-tls-verify', /`--insecure-skip-tls-verify` is refused/],
    ['an unknown option', 'get pods -n podinfo -o json', /Unknown or refused option `-o`/],
  ])('refuses %s before calling the cluster', async (_what, line, reason, configs?: KubectlConfig[]) => {
    const before = fake.requests.length;

    await expect(run(line, configs)).rejects.toThrow(ExecutorRefusal);
    await expect(run(line, configs)).rejects.toThrow(reason);
    expect(fake.requests.length).toBe(before);
  });

  it('asks which namespace when several are allowed and none is given', async () => {
    await expect(run('get pods')).rejects.toThrow(/Which namespace\? Add `-n NS`/);
  });

  it('merges the channel’s configurations: what any of them allows is allowed, the tightest log cap holds', async () => {
    const configs = [config({ verbs: ['get'], resources: ['pods'], namespaces: ['web'] }), config({ verbs: ['logs'], resources: ['pods'], namespaces: ['podinfo'], maxLogLines: 3 })];

    const answer = await run('logs podinfo-1 -n podinfo', configs);

    expect(answer.blocks[1]).toEqual({ type: 'code', text: 'line 498\nline 499\nline 500\n' });
  });
});
