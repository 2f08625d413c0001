import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand, useDay2World } from '../helpers/day2-world';
import { chartDeployment, helmChart, helmRelease, ociRepository } from '../helpers/flux-objects';

const DIGEST = (c: string) => `sha256:${c.repeat(64)}`;

describe('HelmReleases with a chartRef: behind their source is said in list and env diff', () => {
  const { world, stage, prod } = useDay2World();

  beforeAll(() => {
    // podinfo from an OCIRepository (chartRef): helm-controller appends the artifact digest to the chart version
    // (`6.5.4+<digest[:12]>`) and keeps the digest as ociDigest. prod runs 6.5.4; its source now offers 6.6.0.
    const oci = (cluster: () => ReturnType<typeof prod>, chartVersion: string, digest: string, offered: string) => {
      cluster().put(helmRelease('podinfo', 'podinfo', { chartRef: { kind: 'OCIRepository', name: 'podinfo' }, releases: [{ chartVersion: `${chartVersion}+${digest.slice(7, 19)}`, appVersion: chartVersion, ociDigest: digest }] }));
      cluster().put(ociRepository('podinfo', 'podinfo', offered));
      cluster().put(chartDeployment('podinfo', 'podinfo', { app: 'podinfo', release: 'podinfo', chart: 'podinfo', chartVersion, appVersion: chartVersion, images: [`ghcr.io/stefanprodan/podinfo:${chartVersion}`] }));
    };
    oci(prod, '6.5.4', DIGEST('a'), `6.6.0@${DIGEST('b')}`);
    oci(stage, '6.6.0', DIGEST('b'), `6.6.0@${DIGEST('b')}`);

    // cert-manager from a HelmChart (chartRef): prod runs 1.15.0, the HelmChart pulled 1.16.1.
    const chart = (cluster: () => ReturnType<typeof prod>, runs: string, offered: string) => {
      cluster().put(helmRelease('cert-manager', 'web', { chartRef: { kind: 'HelmChart', name: 'cert-manager' }, releases: [{ chartVersion: runs, appVersion: `v${runs}` }] }));
      cluster().put(helmChart('cert-manager', 'web', { chart: 'cert-manager', revision: offered }));
      cluster().put(chartDeployment('cert-manager', 'web', { app: 'cert-manager', release: 'cert-manager', chart: 'cert-manager', chartVersion: runs, appVersion: `v${runs}`, images: [`quay.io/jetstack/cert-manager-controller:v${runs}`] }));
    };
    chart(prod, '1.15.0', '1.16.1');
    chart(stage, '1.16.1', '1.16.1');

    // api-gateway: the same OCI tag pushed again with other content (a mutable tag): same version, new digest.
    prod().put(helmRelease('gateway', 'web', { chartRef: { kind: 'OCIRepository', name: 'gateway' }, releases: [{ chartVersion: `2.1.0+${DIGEST('c').slice(7, 19)}`, appVersion: '2.1.0', ociDigest: DIGEST('c') }] }));
    prod().put(ociRepository('gateway', 'web', `2.1.0@${DIGEST('d')}`));
    prod().put(chartDeployment('gateway', 'web', { app: 'gateway', release: 'gateway', chart: 'gateway', chartVersion: '2.1.0', appVersion: '2.1.0', images: ['ghcr.io/acme/gateway:2.1.0'] }));
  });

  async function answerOf(jobId: string): Promise<string> {
    const { store } = await world().runtime();
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    return `${message?.text ?? ''}\n${JSON.stringify(message?.blocks ?? [])}`;
  }

  it('names a chartRef HelmRelease whose OCIRepository or HelmChart offers another chart version', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'diff prod');

    // Assess
    const text = await answerOf(jobId);
    expect(text).toMatch(/`podinfo` on `prod` \(HelmRelease podinfo\/podinfo\) has not converged: runs chart 6\.5\.4, OCIRepository podinfo\/podinfo offers 6\.6\.0/);
    expect(text).toMatch(/`cert-manager` on `prod` \(HelmRelease web\/cert-manager\) has not converged: runs chart 1\.15\.0, HelmChart web\/cert-manager offers 1\.16\.1/);
  });

  it('names a chart whose OCI tag was pushed again with other content', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'list gateway');

    // Assess
    expect(await answerOf(jobId)).toMatch(/gateway.*runs chart 2\.1\.0 @sha256:c{12}, OCIRepository web\/gateway offers 2\.1\.0 @sha256:d{12}/);
  });

  it('says nothing of a chartRef HelmRelease that runs what its source offers', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'list');

    // Assess
    const text = await answerOf(jobId);
    expect(text).toMatch(/`podinfo\/podinfo` on `prod` \(HelmRelease podinfo\/podinfo\): runs chart 6\.5\.4, OCIRepository podinfo\/podinfo offers 6\.6\.0/);
    expect(text).not.toMatch(/on `stage`/);
    // The chart version as people write it, not helm-controller's `6.6.0+<digest>`.
    expect(text).toMatch(/podinfo\/podinfo\s+stage\s+6\.6\.0\s+6\.6\.0\s+2\/2/);
  });
});
