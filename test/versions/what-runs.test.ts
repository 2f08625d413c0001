import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand, useDay2World } from '../helpers/day2-world';
import { appliedDeployment, chartDeployment, gitRepository, helmRelease, kustomization } from '../helpers/flux-objects';

const CONTROLLER = 'registry.k8s.io/ingress-nginx/controller';

describe('what runs where: versions read from the Flux object that owns each app', () => {
  const { world, stage, prod } = useDay2World();

  beforeAll(() => {
    // ingress-nginx: the chart's version is not its app's (chart 4.10.0 ships controller 1.10.0).
    stage().put(helmRelease('ingress-nginx', 'web', { releases: [{ chartVersion: '4.10.1', appVersion: '1.10.0' }, { chartVersion: '4.10.0', appVersion: '1.10.0' }] }));
    stage().put(chartDeployment('ingress-nginx-controller', 'web', { app: 'ingress-nginx', release: 'ingress-nginx', chart: 'ingress-nginx', chartVersion: '4.10.1', appVersion: '1.10.0', images: [`${CONTROLLER}:v1.10.0`] }));
    // prod: the same app version from an older chart: the Deployment's labels agree, the releases do not.
    prod().put(helmRelease('ingress-nginx', 'web', { releases: [{ chartVersion: '4.10.0', appVersion: '1.10.0' }] }));
    prod().put(chartDeployment('ingress-nginx-controller', 'web', { app: 'ingress-nginx', release: 'ingress-nginx', chart: 'ingress-nginx', chartVersion: '4.10.0', appVersion: '1.10.0', images: [`${CONTROLLER}:v1.10.0`] }));

    // podinfo: same chart and app version on both, other values.
    stage().put(helmRelease('podinfo', 'podinfo', { releases: [{ chartVersion: '6.5.4', appVersion: '6.5.4', configDigest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111' }] }));
    stage().put(chartDeployment('podinfo', 'podinfo', { app: 'podinfo', release: 'podinfo', chart: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', images: ['ghcr.io/stefanprodan/podinfo:6.5.4'] }));
    prod().put(helmRelease('podinfo', 'podinfo', { releases: [{ chartVersion: '6.5.4', appVersion: '6.5.4', configDigest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222' }] }));
    prod().put(chartDeployment('podinfo', 'podinfo', { app: 'podinfo', release: 'podinfo', chart: 'podinfo', chartVersion: '6.5.4', appVersion: '6.5.4', images: ['ghcr.io/stefanprodan/podinfo:6.5.4'] }));

    // api: applied by a Kustomization; prod has not applied what its source offers yet.
    for (const cluster of [stage(), prod()]) cluster.put(appliedDeployment('api', 'web', { owner: 'apps', images: ['ghcr.io/acme/api:2.0.1'] }));
    stage().put(kustomization('apps', { applied: 'main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }));
    stage().put(gitRepository('main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'));
    prod().put(kustomization('apps', { applied: 'main@sha1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }));
    prod().put(gitRepository('main@sha1:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'));
  });

  async function answerOf(jobId: string): Promise<string> {
    const { store } = await world().runtime();
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    return `${message?.text ?? ''}\n${JSON.stringify(message?.blocks ?? [])}`;
  }

  it('lists the chart version and the app version as two columns, from the HelmRelease release history', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'list ingress-nginx');

    // Assess
    const text = await answerOf(jobId);
    expect(text).toMatch(/APP\s+CLUSTER\s+CHART\s+VERSION\s+READY/);
    expect(text).toMatch(/web\/ingress-nginx\s+stage\s+4\.10\.1\s+1\.10\.0\s+2\/2/);
    expect(text).toMatch(/web\/ingress-nginx\s+prod\s+4\.10\.0\s+1\.10\.0\s+2\/2/);
  });

  it('shows an app that no chart deploys with no chart version', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'list api');

    // Assess
    expect(await answerOf(jobId)).toMatch(/web\/api\s+stage\s+—\s+2\.0\.1/);
  });

  it('compares environments by chart and app version, not by the Deployment labels', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'diff prod');

    // Assess
    const text = await answerOf(jobId);
    expect(text).toMatch(/ingress-nginx\s+1\.10\.0 · chart 4\.10\.0\s+1\.10\.0 · chart 4\.10\.1/);
    expect(text).toContain('1 of 3 apps on `prod` differ');
  });

  it('says which app runs other values, and which Flux object has not applied its source revision', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'diff prod');

    // Assess
    const text = await answerOf(jobId);
    expect(text).toContain('Same versions, other values (HelmRelease config digest): `podinfo`');
    expect(text).toMatch(/`api` on `prod` \(Kustomization flux-system\/apps\) has not converged: applied main@sha1:a{40}, source has main@sha1:b{40}/);
  });
});
