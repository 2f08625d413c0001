import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand, useDay2World } from '../helpers/day2-world';
import { appliedDeployment, chartDeployment, helmRelease, type ReleaseFixture } from '../helpers/flux-objects';
import { BACKEND_OVERLAY, INGRESS_NGINX, LAYOUT_FILES, METRICS_SOURCE, WEB, WORKERS_KUSTOMIZATION } from './layouts-fixture';
import { jobAnswer, layoutFile, reseedLayoutsEachTest } from './layouts-world';

describe('/flux promote by what the user names, in every common layout', () => {
  const { world, stage, prod } = useDay2World();

  beforeAll(() => {
    const chart = (cluster: ReturnType<typeof stage>, name: string, release: ReleaseFixture, options: { chart?: string; chartRef?: { kind: string; name: string } } = {}) => {
      cluster.put(helmRelease(name, 'web', { releases: [release], ...options }));
      cluster.put(chartDeployment(name, 'web', { app: name, release: name, chart: options.chart ?? name, chartVersion: release.chartVersion, appVersion: release.appVersion ?? '', images: [`ghcr.io/acme/${name}:${release.appVersion ?? ''}`] }));
    };
    chart(stage(), 'ingress-nginx', { chartVersion: '4.10.0', appVersion: '1.10.0' });
    chart(prod(), 'ingress-nginx', { chartVersion: '4.9.1', appVersion: '1.9.6' });
    chart(stage(), 'web', { chartVersion: '1.3.0', appVersion: '1.3.0' });
    chart(stage(), 'podinfo', { chartVersion: '6.5.4', appVersion: '6.5.4' });
    chart(stage(), 'cache', { chartVersion: '6.1.0', appVersion: '7.2.4' }, { chart: 'redis' });
    chart(stage(), 'metrics', { chartVersion: '2.2.0', appVersion: '0.9.0' }, { chartRef: { kind: 'OCIRepository', name: 'metrics-chart' } });
    chart(stage(), 'backend', { chartVersion: '3.0.2', appVersion: '3.0.2' });
    chart(stage(), 'frontend', { chartVersion: '1.1.0', appVersion: '1.1.0' });
    stage().put(appliedDeployment('worker', 'web', { owner: 'workers', images: ['ghcr.io/acme/worker:3.2.0'] }));
  });

  reseedLayoutsEachTest(world);
  const outcome = (jobId: string) => jobAnswer(world, jobId);
  const file = (path: string) => layoutFile(world, path);

  it('promotes an app version through the chart version that ships it (ingress-nginx 1.10.0 is chart 4.10.0)', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote ingress-nginx@1.10.0 to prod');

    // Assess
    const { job, text, pending } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(file('clusters/production/ingress-nginx.yaml')).toBe(INGRESS_NGINX.replace('version: 4.9.1 #', 'version: 4.10.0 #'));
    expect(text).toContain('to `4.10.0` (the chart that ships app version `1.10.0`)');
    expect(pending).toMatchObject({ expect: { version: '4.10.0' }, object: { kind: 'HelmRelease', namespace: 'web', name: 'ingress-nginx' } });
  });

  it('asks with a button per reading instead of guessing when the version is both a chart version and an image tag', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote web@1.3.0 to prod');

    // Assess
    const { text } = await outcome(jobId);
    expect(text).toContain('`web@1.3.0` can be read 2 ways: chart version 1.3.0; or image tag 1.3.0');
    expect(text).toContain('"text":"Chart 1.3.0"');
    expect(text).toContain('"text":"Image tag 1.3.0"');
    expect(world().github.git.commits).toHaveLength(0);
    expect(file('clusters/production/web.yaml')).toBe(WEB);
  });

  async function buttonsOf(jobId: string) {
    const { store } = await world().runtime();
    const job = await store.getJob(jobId);
    const message = world().slack.messages.find((m) => m.ts === job?.requester.messageTs);
    const actions = ((message?.blocks ?? []) as { type: string }[]).find((block) => block.type === 'actions') as { elements: { action_id: string; value: string; text: { text: string } }[] } | undefined;
    return { messageTs: message?.ts ?? '', buttons: actions?.elements ?? [] };
  }

  it('commits the reading an admin clicks: the image tag in values, not the chart', async () => {
    // Prepare
    const { jobId } = await runCommand(world(), 'promote web@1.3.0 to prod');
    const { messageTs, buttons } = await buttonsOf(jobId);
    const image = buttons.find((button) => button.text.text.startsWith('Image tag'));

    // Act
    await world().click({ actionId: image?.action_id ?? '', value: image?.value ?? '', messageTs });
    await world().settle();

    // Assess
    expect(world().github.git.commits).toHaveLength(1);
    expect(file('clusters/production/web.yaml')).toBe(WEB.replace('tag: "1.2.0" #', 'tag: "1.3.0" #'));
  });

  it.each([
    ['a non-admin', { user: 'U0BOB' }, 0, /Only Fluxline admins may promote/],
    ['a forged reading index', {}, 7, /no longer available/],
  ])('refuses a click by %s, committing nothing', async (_, who, index, refusal) => {
    // Prepare
    const { jobId } = await runCommand(world(), 'promote web@1.3.0 to prod');
    const { messageTs, buttons } = await buttonsOf(jobId);
    const value = (buttons[0]?.value ?? '').replace(/"choice":\d+/, `"choice":${index}`);
    const ephemerals = world().slack.ephemerals.length;

    // Act
    await world().click({ actionId: buttons[0]?.action_id ?? '', value, messageTs, ...who });
    await world().settle();

    // Assess
    expect(world().github.git.commits).toHaveLength(0);
    expect(world().slack.ephemerals.slice(ephemerals).map((e) => e.text).join('\n')).toMatch(refusal);
  });

  it.each([
    ['a ${var} substitution', 'promote podinfo@6.5.4 to prod', 'clusters/production/podinfo.yaml', /substitution variable `\$\{podinfo_version\}`.*set in `clusters\/production\/apps\.yaml` \(`spec\.postBuild\.substitute\.podinfo_version`/],
    ['a semver range', 'promote cache@6.1.0 to prod', 'clusters/production/cache.yaml', /`&gt;=6\.0\.0 &lt;7\.0\.0` is a semver range/],
    ['a version set only in a shared base', 'promote frontend@1.1.0 to prod', 'apps/base/frontend/release.yaml', /lives in the base `apps\/base\/frontend\/release\.yaml`.*Add a patch/],
  ])('never overwrites %s, and says where the version lives', async (_, command, path, message) => {
    // Prepare
    const before = file(path);

    // Act
    const { jobId } = await runCommand(world(), command);

    // Assess
    const { job, text } = await outcome(jobId);
    expect(job?.status).toBe('failed');
    expect(text).toMatch(message);
    expect(world().github.git.commits).toHaveLength(0);
    expect(file(path)).toBe(before);
  });

  it("follows a HelmRelease's chartRef to the OCIRepository and changes its spec.ref.tag", async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote metrics@2.2.0 to prod');

    // Assess
    const { job } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(world().github.git.commits[0]?.changed).toEqual(['clusters/production/metrics/source.yaml']);
    expect(file('clusters/production/metrics/source.yaml')).toBe(METRICS_SOURCE.replace('tag: 2.1.0 #', 'tag: 2.2.0 #'));
  });

  it("changes the image inside a Flux Kustomization's spec.patches block, byte for byte elsewhere", async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote worker@3.2.0 to prod');

    // Assess
    const { job } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(file('clusters/production/workers.yaml')).toBe(WORKERS_KUSTOMIZATION.replace('worker:3.1.0', 'worker:3.2.0'));
  });

  it('changes the overlay patch of a base, not the base', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'promote backend@3.0.2 to prod');

    // Assess
    const { job } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(file('clusters/production/backend/kustomization.yaml')).toBe(BACKEND_OVERLAY.replace('"3.0.1" #', '"3.0.2" #'));
    expect(file('apps/base/backend/release.yaml')).toBe(LAYOUT_FILES['apps/base/backend/release.yaml']);
  });
});
