import { beforeAll, describe, expect, it } from 'vitest';
import { deployment, runCommand, useDay2World } from '../helpers/day2-world';

describe('/flux list and /flux diff <env>', () => {
  const { world, stage, prod } = useDay2World();

  beforeAll(async () => {
    stage().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/name': 'podinfo', 'app.kubernetes.io/version': '6.5.4' }, image: 'ghcr.io/stefanprodan/podinfo:6.5.4' }));
    stage().put(deployment('web', 'web', { labels: { 'helm.sh/chart': 'web-1.2.0' }, image: 'ghcr.io/acme/web:1.2.0' }));
    stage().put(deployment('api', 'web', { image: 'ghcr.io/acme/api:2.0.1' }));
    stage().put(deployment('ignored', 'default', { image: 'ghcr.io/acme/ignored:9.9.9' }));
    prod().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/name': 'podinfo', 'app.kubernetes.io/version': '6.5.3' }, image: 'ghcr.io/stefanprodan/podinfo:6.5.3', ready: 1, replicas: 2 }));
    prod().put(deployment('web', 'web', { labels: { 'helm.sh/chart': 'web-1.2.0' }, image: 'ghcr.io/acme/web:1.2.0' }));
    prod().put(deployment('api', 'web', { image: 'ghcr.io/acme/api:2.0.1' }));
    const { store } = await world().runtime();
    await store.recordDeployment({ cluster: 'prod', kind: 'HelmRelease', namespace: 'podinfo', name: 'podinfo', revision: '6.5.3', version: '6.5.3', reason: 'UpgradeSucceeded', message: 'Helm upgrade succeeded', at: '2026-11-20T10:00:00Z' });
  });

  /** The text of the one message a command left, the "running…" message it replaced. */
  async function answerOf(jobId: string): Promise<{ text: string }> {
    const { store } = await world().runtime();
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    if (!message) throw new Error('no running message');
    return { text: `${message.text}\n${JSON.stringify(message.blocks ?? [])}` };
  }

  it('lists every Deployment of apps.namespaces on every cluster, with the cluster that does not answer shown as such', async () => {
    // Prepare
    const before = world().slack.messages.length;

    // Act
    const { jobId, reply } = await runCommand(world(), 'list');

    // Assess
    expect(reply).toBe('');
    expect(world().slack.messages.length).toBe(before + 1);
    const { text } = await answerOf(jobId);
    expect(text).toMatch(/APP\s+CLUSTER\s+CHART\s+VERSION\s+READY\s+LAST DEPLOYED/);
    expect(text).toMatch(/podinfo\/podinfo\s+stage\s+—\s+6\.5\.4\s+2\/2\s+—/);
    expect(text).toMatch(/podinfo\/podinfo\s+prod\s+—\s+6\.5\.3\s+1\/2\s+2026-11-20 10:00Z/);
    expect(text).toMatch(/web\/web\s+prod\s+1\.2\.0/);
    expect(text).toMatch(/web\/api\s+stage\s+—\s+2\.0\.1/);
    expect(text).not.toContain('ignored');
    expect(text).toMatch(/`down`: unreachable — `cluster down is unreachable at 127\.0\.0\.1:\d+: ECONNREFUSED`/);
  });

  it('narrows the list to one app', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'list podinfo');

    // Assess
    const { text } = await answerOf(jobId);
    expect(text).toContain('podinfo/podinfo');
    expect(text).not.toContain('web/api');
  });

  it('reads only the clusters a bound channel may use', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'list', { channel: 'C0STAGE' });

    // Assess
    const { text } = await answerOf(jobId);
    expect(text).toMatch(/podinfo\/podinfo\s+stage/);
    expect(text).not.toMatch(/\s+prod\s+/);
    expect(text).not.toContain('`down`');
  });

  it('shows only the apps whose version on the environment differs from the other clusters', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'diff prod');

    // Assess
    const { text } = await answerOf(jobId);
    expect(text).toContain('1 of 3 apps on `prod` differ');
    expect(text).toMatch(/APP\s+PROD\s+STAGE/);
    expect(text).toMatch(/podinfo\s+6\.5\.3\s+6\.5\.4/);
    expect(text).not.toMatch(/\bweb\s+1\.2\.0/);
    expect(text).not.toMatch(/\bapi\s+2\.0\.1/);
    expect(text).toMatch(/`down`: unreachable .*\(not compared\)/);
  });

  it('refuses an unknown environment at once, naming the clusters', async () => {
    // Act
    const { reply } = await runCommand(world(), 'diff qa');

    // Assess
    expect(JSON.parse(reply)).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Unknown environment `qa`') });
    expect(reply).toContain('`stage`, `prod`, `down`');
  });

  it('fails, and says so, when the environment itself does not answer', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'diff down');

    // Assess
    const { text } = await answerOf(jobId);
    expect(text).toMatch(/:x: `\/flux diff down` failed: `down` could not be read/);
  });

  it('says clearly when every app agrees', async () => {
    // Prepare
    prod().put(deployment('podinfo', 'podinfo', { labels: { 'app.kubernetes.io/name': 'podinfo', 'app.kubernetes.io/version': '6.5.4' }, image: 'ghcr.io/stefanprodan/podinfo:6.5.4' }));

    // Act
    const { jobId } = await runCommand(world(), 'diff prod');

    // Assess
    const { text } = await answerOf(jobId);
    expect(text).toContain('All 3 apps on `prod` run the same versions as `stage`');
  });
});
