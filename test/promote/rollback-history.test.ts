import { beforeAll, describe, expect, it } from 'vitest';
import { GITOPS_REPOSITORY, runCommand, useDay2World } from '../helpers/day2-world';
import { appliedDeployment, chartDeployment, helmRelease, imagePolicy, imageUpdateAutomation } from '../helpers/flux-objects';
import { API_IMAGES, INGRESS_NGINX } from './layouts-fixture';
import { jobAnswer, layoutFile, reseedLayoutsEachTest } from './layouts-world';

const SHA = (c: string) => c.repeat(40);

describe('/flux rollback from what Flux really released, and one that stays rolled back', () => {
  const { world, prod } = useDay2World();

  beforeAll(async () => {
    // helm-controller's release history: a values-only upgrade on top, the chart before it further down.
    prod().put(helmRelease('ingress-nginx', 'web', { releases: [{ chartVersion: '4.9.1', appVersion: '1.9.6', configDigest: 'sha256:b' }, { chartVersion: '4.9.1', appVersion: '1.9.6', configDigest: 'sha256:a' }, { chartVersion: '4.8.3', appVersion: '1.9.4' }] }));
    prod().put(chartDeployment('ingress-nginx-controller', 'web', { app: 'ingress-nginx', release: 'ingress-nginx', chart: 'ingress-nginx', chartVersion: '4.9.1', appVersion: '1.9.6', images: ['registry.k8s.io/ingress-nginx/controller:v1.9.6'] }));
    prod().put(appliedDeployment('api', 'web', { owner: 'apps', images: ['ghcr.io/acme/api:2.0.1'] }));
    prod().put(imageUpdateAutomation('production', { path: './clusters/production' }));
    prod().put(imageUpdateAutomation('staging', { path: './clusters/staging' }));
    // The policy still picks 2.0.1, the tag the rollback moves away from.
    prod().put(imagePolicy('api', { image: 'ghcr.io/acme/api', tag: '2.0.1', digest: `sha256:${'f'.repeat(64)}` }));
    const { store } = await world().runtime();
    const kustomization = { cluster: 'prod', kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps', reason: 'ReconciliationSucceeded', message: 'Reconciliation finished in 1.2s, next run in 10m0s' };
    // Two image promotes applied by the Kustomization `apps`: their records carry the tag next to the commit.
    await store.recordDeployment({ ...kustomization, revision: `main@sha1:${SHA('1')}`, version: SHA('1'), app: 'api', appVersion: '2.0.0', at: '2026-11-18T10:00:00.000Z' });
    await store.recordDeployment({ ...kustomization, revision: `main@sha1:${SHA('2')}`, version: SHA('2'), app: 'api', appVersion: '2.0.1', at: '2026-11-19T10:00:00.000Z' });
    // Another object of the same name elsewhere: never part of this app's history on prod.
    await store.recordDeployment({ cluster: 'prod', kind: 'HelmRelease', namespace: 'other', name: 'api', revision: '9.9.9', version: '9.9.9', reason: 'UpgradeSucceeded', message: 'Helm upgrade succeeded', at: '2026-11-20T10:00:00.000Z' });
  });

  reseedLayoutsEachTest(world);
  const outcome = (jobId: string) => jobAnswer(world, jobId);
  const file = (path: string) => layoutFile(world, path);

  it("rolls a HelmRelease back to the previous chart of its own release history, skipping a values-only upgrade", async () => {
    // Act
    const { jobId } = await runCommand(world(), 'rollback ingress-nginx on prod');

    // Assess
    const { job, text } = await outcome(jobId);
    expect(job?.status).toBe('succeeded');
    expect(text).toContain('rolled back `ingress-nginx` on `prod` from `4.9.1` to `4.8.3`');
    expect(file('clusters/production/ingress-nginx.yaml')).toBe(INGRESS_NGINX.replace('version: 4.9.1 #', 'version: 4.8.3 #'));
  });

  it('rolls an image back to the tag recorded with the earlier commit of its own Kustomization, and warns that image automation will undo it', async () => {
    // Act
    const { jobId } = await runCommand(world(), 'rollback api on prod');

    // Assess
    const { job, text } = await outcome(jobId);
    expect(job?.error).toBeUndefined();
    expect(job?.status).toBe('succeeded');
    expect(file('clusters/production/api/kustomization.yaml')).toBe(API_IMAGES.replace('newTag: 2.0.1 #', 'newTag: 2.0.0 #'));
    expect(text).toContain('from `2.0.1` to `2.0.0`');
    expect(text).toContain(':warning: The edited line carries the image policy marker `flux-system:api`: the ImageUpdateAutomation `flux-system/production` will write');
    expect(text).toContain('`flux suspend image update production -n flux-system`');
    expect(text).toContain('undoing this rollback');
    // What the next automation run would do, from the ImagePolicy's status.latestRef (the marker writes the tag only).
    expect(text).toContain('will write the ImagePolicy `flux-system/api`\'s latest pick `2.0.1` (ghcr.io/acme/api:2.0.1) back on its next run, undoing this rollback');
  });

  it('says image automation leaves the line alone when the ImagePolicy already picks the version rolled back to', async () => {
    // Prepare: the 2.0.1 tag was deleted from the registry; the policy's newest pick is 2.0.0 again.
    prod().put(imagePolicy('api', { image: 'ghcr.io/acme/api', tag: '2.0.0' }));
    try {
      // Act
      const { jobId } = await runCommand(world(), 'rollback api on prod');

      // Assess
      const { job, text } = await outcome(jobId);
      expect(job?.status).toBe('succeeded');
      expect(text).toContain(':information_source: The edited line carries the image policy marker `flux-system:api`; the ImagePolicy `flux-system/api` picks `2.0.0` too');
      expect(text).not.toContain('undoing this rollback');
    } finally {
      prod().put(imagePolicy('api', { image: 'ghcr.io/acme/api', tag: '2.0.1', digest: `sha256:${'f'.repeat(64)}` }));
    }
  });

  it('suspends the automation when an admin clicks its button, as an audited action; a non-admin is refused', async () => {
    // Prepare
    const { jobId } = await runCommand(world(), 'rollback api on prod');
    const { messageTs, buttons } = await outcome(jobId);
    const [suspend] = buttons;
    const ephemerals = world().slack.ephemerals.length;

    // Act
    await world().click({ actionId: suspend?.actionId ?? '', value: suspend?.value ?? '', messageTs, user: 'U0BOB', actionTs: '1700000000.000100' });
    await world().settle();
    const afterRefusal = prod().get({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageUpdateAutomation', namespace: 'flux-system', name: 'production' });
    // Later than a double click (3 s by Slack's action_ts): a second, separate click.
    await world().click({ actionId: suspend?.actionId ?? '', value: suspend?.value ?? '', messageTs, actionTs: '1700000010.000100' });
    await world().settle();

    // Assess
    expect(suspend?.label).toBe('Suspend flux-system/production');
    expect(afterRefusal?.spec).not.toHaveProperty('suspend');
    expect(world().slack.ephemerals.slice(ephemerals).map((e) => e.text).join('\n')).toMatch(/Only Fluxline admins may suspend image automation/);
    expect(prod().get({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageUpdateAutomation', namespace: 'flux-system', name: 'production' })?.spec).toMatchObject({ suspend: true });
    expect(prod().get({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageUpdateAutomation', namespace: 'flux-system', name: 'staging' })?.spec).not.toHaveProperty('suspend');
    const { store } = await world().runtime();
    const audit = (await store.auditOfDay(new Date())).filter((e) => e.action === 'suspend-automation');
    expect(audit.map((e) => [e.actor, e.outcome, e.target])).toEqual(
      expect.arrayContaining([
        ['U0BOB', 'refused', 'ImageUpdateAutomation flux-system/production on prod'],
        ['U0ADMIN', 'succeeded', 'ImageUpdateAutomation flux-system/production on prod'],
      ]),
    );
    expect(world().slack.messages.some((m) => (m.text ?? '').includes('suspended the ImageUpdateAutomation `flux-system/production` on `prod`'))).toBe(true);
  });

  it('pins the rolled-back tag on its line when an admin clicks "Pin", as an audited commit that image automation leaves alone; a non-admin is refused', async () => {
    // Prepare: the automation runs again (a test above suspended it).
    prod().put(imageUpdateAutomation('production', { path: './clusters/production' }));
    const { jobId } = await runCommand(world(), 'rollback api on prod');
    const { messageTs, buttons } = await outcome(jobId);
    const pin = buttons.find((button) => button.label.startsWith('Pin'));
    const rolledBack = API_IMAGES.replace('newTag: 2.0.1 #', 'newTag: 2.0.0 #');
    const ephemerals = world().slack.ephemerals.length;

    // Act
    await world().click({ actionId: pin?.actionId ?? '', value: pin?.value ?? '', messageTs, user: 'U0BOB', actionTs: '1700000000.000100' });
    await world().settle();
    const afterRefusal = file('clusters/production/api/kustomization.yaml');
    await world().click({ actionId: pin?.actionId ?? '', value: pin?.value ?? '', messageTs, actionTs: '1700000010.000100' });
    await world().settle();

    // Assess
    expect(pin?.label).toBe('Pin 2.0.0 (flux-system:api)');
    expect(afterRefusal).toBe(rolledBack);
    expect(world().slack.ephemerals.slice(ephemerals).map((e) => e.text).join('\n')).toMatch(/Only Fluxline admins may pin image policies/);
    // kyaml reads a setter only from a comment that is the marker's JSON and nothing else: this one is not.
    expect(file('clusters/production/api/kustomization.yaml')).toBe(
      rolledBack.replace('# {"$imagepolicy": "flux-system:api:tag"}', '# pinned at 2.0.0 by Fluxline; to resume image automation on this line, put back: {"$imagepolicy": "flux-system:api:tag"}'),
    );
    const commit = world().github.git.commits.at(-1);
    expect(commit?.message).toMatch(/^Pin api at 2\.0\.0 on prod: image automation leaves clusters\/production\/api\/kustomization\.yaml line 7 alone\n\nRequested by Slack user .* via Fluxline/);
    const { store } = await world().runtime();
    const audit = (await store.auditOfDay(new Date())).filter((e) => e.action === 'pin-image-policy');
    expect(audit.map((e) => [e.actor, e.outcome, e.target])).toEqual(
      expect.arrayContaining([
        ['U0BOB', 'refused', 'image policy flux-system:api in clusters/production/api/kustomization.yaml on prod'],
        ['U0ADMIN', 'succeeded', 'image policy flux-system:api in clusters/production/api/kustomization.yaml on prod'],
      ]),
    );
    expect(world().slack.messages.some((m) => (m.text ?? '').includes('pinned `api` at `2.0.0` on `prod`'))).toBe(true);
  });

  it('refuses to pin a line that no longer holds the rolled-back tag (image automation already wrote it back)', async () => {
    // Prepare: the automation runs again (a test above suspended it).
    prod().put(imageUpdateAutomation('production', { path: './clusters/production' }));
    const { jobId } = await runCommand(world(), 'rollback api on prod');
    const { messageTs, buttons } = await outcome(jobId);
    const pin = buttons.find((button) => button.label.startsWith('Pin'));
    world().github.git.push(GITOPS_REPOSITORY, 'main', 'clusters/production/api/kustomization.yaml', API_IMAGES.replace('newTag: 2.0.1 #', 'newTag: 2.0.2 #'));
    const commits = world().github.git.commits.length;

    // Act
    await world().click({ actionId: pin?.actionId ?? '', value: pin?.value ?? '', messageTs, actionTs: '1700000020.000100' });
    await world().settle();

    // Assess
    expect(world().github.git.commits.length).toBe(commits);
    expect(world().slack.messages.some((m) => /Could not pin `api` at `2\.0\.0` on `prod`: .*no longer holds `2\.0\.0` \(it holds `2\.0\.2`\)/.test(m.text ?? ''))).toBe(true);
  });
});
