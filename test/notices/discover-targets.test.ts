import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeAction, encodeAction } from '../../lib/core/commands';
import { parseConfig } from '../../lib/core/config';
import { createGithubApp } from '../../lib/adapters/github';
import { ACTIONS } from '../../lib/adapters/slack';
import { discoverDiffTargets } from '../../lib/flows/diffs/discover-targets';
import { startBlackHole } from '../fakes/black-hole';
import { APP_ID, INSTALLATION, useWorld, type OpenPullRequestOptions } from '../helpers/world';

/**
 * The PR's diff targets are found on the clusters (DESIGN §3 flow 2): the Kustomizations whose source is
 * the PR's repository and base branch, kept when a changed file is among what their path reaches. stage
 * and prod are one fake API server, so a Kustomization found there is a target on both; `down` refuses
 * connections and `broken` has no kubeconfig.
 */
describe('diff targets found on the clusters', () => {
  const world = useWorld();

  /** One repository's manifests: apps/stage builds apps/base (`resources: ../base`), infrastructure/ stands alone. */
  const TREE: Record<string, string> = {
    'apps/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n',
    'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n',
    'apps/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\n',
    'infrastructure/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [ingress.yaml]\n',
    'infrastructure/ingress.yaml': 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: { name: web }\n',
    'misc/unused.yaml': 'kind: ConfigMap\n',
  };

  const gitRepository = (name: string, url: string, ref: Record<string, string> = { branch: 'main' }) => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name, namespace: 'flux-system' },
    spec: { url, interval: '1m', ref },
  });
  const kustomization = (name: string, path: string, sourceRef: Record<string, string>) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path, prune: true, sourceRef },
  });

  beforeAll(() => {
    const kube = world().kube;
    kube.put(gitRepository('infra', 'https://github.com/acme/infra.git'));
    kube.put(gitRepository('infra-release', 'git@github.com:acme/infra.git', { branch: 'release' }));
    kube.put(gitRepository('pinned', 'https://github.com/acme/infra-pinned'));
    kube.put(kustomization('infra-apps', './apps/stage', { kind: 'GitRepository', name: 'infra' }));
    kube.put(kustomization('infra-infrastructure', './infrastructure', { kind: 'GitRepository', name: 'infra' }));
    // Same repository, another branch: merging into main deploys nothing through it.
    kube.put(kustomization('release-infrastructure', './infrastructure', { kind: 'GitRepository', name: 'infra-release' }));
    // Another repository (the world's GitRepository `other` is acme/platform), same path.
    kube.put(kustomization('platform-infrastructure', './infrastructure', { kind: 'GitRepository', name: 'other' }));
    kube.put(kustomization('pinned-apps', './apps/stage', { kind: 'GitRepository', name: 'pinned' }));
    kube.put(kustomization('pinned-infra', './infrastructure', { kind: 'GitRepository', name: 'pinned' }));
    // An OCI artifact pushed from acme/infra's main (`flux push artifact --source --revision`).
    kube.put({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'infra-oci', namespace: 'flux-system' },
      spec: { url: 'oci://ghcr.io/acme/infra', interval: '1m' },
      status: { artifact: { revision: 'sha256:abc', metadata: { 'org.opencontainers.image.source': 'https://github.com/acme/infra', 'org.opencontainers.image.revision': 'main@sha1:0123456789012345678901234567890123456789' } } },
    });
    kube.put(kustomization('infra-oci-apps', './apps/stage', { kind: 'OCIRepository', name: 'infra-oci' }));
    // Its path has no files in TREE: only the test that adds them reaches anything through it.
    kube.put(kustomization('infra-tenants', './tenants', { kind: 'GitRepository', name: 'infra' }));
    // A root applying `infra-web` from the files under its path, as a bootstrapped cluster does (owner labels); neither path is in TREE.
    kube.put(kustomization('infra-root', './clusters/stage', { kind: 'GitRepository', name: 'infra' }));
    const web = kustomization('infra-web', './web', { kind: 'GitRepository', name: 'infra' });
    kube.put({ ...web, metadata: { ...web.metadata, labels: { 'kustomize.toolkit.fluxcd.io/name': 'infra-root', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } } });
  });

  let branch = 0;
  /** A PR of `repository` whose head is a commit of TREE in the fake GitHub (its tree API) and in its tarball. */
  async function open(repository: string, files: string[], options: OpenPullRequestOptions = {}, mergeTree?: Record<string, string>, tree = TREE) {
    const headSha = world().github.git.seed(repository, `pr-${++branch}`, tree);
    // GitHub's test merge, a commit of its own: of the tree too unless the test gives it another.
    const mergeCommitSha = world().github.git.seed(repository, `pr-${branch}-merge`, mergeTree ?? tree);
    const pr = await world().openPullRequest('no-changes', { repository, files, headSha, mergeCommitSha, path: null, tree, ...options });
    const targets = pr.buttons.filter((b) => b.actionId.startsWith(ACTIONS.fluxDiff)).map((b) => {
      const action = decodeAction(b.value);
      if (action.type !== 'flux-diff') throw new Error(`not a diff button: ${b.value}`);
      return `${action.kustomization}@${action.cluster}`;
    });
    const notice = world().slack.messages.find((m) => m.ts === pr.ts);
    return { ...pr, targets, noticeText: JSON.stringify(notice?.blocks ?? []) };
  }

  it('gives a PR that changes infrastructure/ the infrastructure Kustomization, not apps, nor another branch’s or repository’s', async () => {
    // Act
    const pr = await open('acme/infra', ['infrastructure/ingress.yaml']);
    await world().settle();

    // Assess
    expect(pr.targets).toEqual(['flux-system/infra-infrastructure@stage', 'flux-system/infra-infrastructure@prod']);
    // A cluster that does not answer is named, not waited on forever nor silently skipped.
    expect(pr.noticeText).toMatch(/Could not read the Kustomizations of `down`/);
    expect(pr.noticeText).toMatch(/Could not read the Kustomizations of `broken`/);
  });

  it('stores the bytes of the commit’s files and the delivery’s installation with the notice, for the diffs to choose a checkout and a client by', async () => {
    // Act
    const pr = await open('acme/infra', ['infrastructure/ingress.yaml']);
    await world().settle();

    // Assess
    const notice = await (await world().runtime()).store.getNotice('acme/infra', pr.number);
    expect(notice?.repositoryBytes).toBe(Object.values(TREE).reduce((sum, text) => sum + Buffer.byteLength(text), 0));
    // The installation the delivery came from, which the diff reads the PR as.
    expect(notice?.installationId).toBe(INSTALLATION);
  });

  it('follows resources: ../base: a change in apps/base reaches the Kustomizations of apps/stage, Git and OCI', async () => {
    const pr = await open('acme/infra', ['apps/base/deployment.yaml']);
    await world().settle();

    expect(pr.targets).toEqual(['flux-system/infra-apps@stage', 'flux-system/infra-oci-apps@stage', 'flux-system/infra-apps@prod', 'flux-system/infra-oci-apps@prod']);
  });

  it('reads what a path reaches from the test merge’s tree, not the head’s: the base added resources: ../base since the branch was cut', async () => {
    // Prepare: on the head, apps/stage reaches nothing; main (so the merge) has since made it build ../base
    const merge = { ...TREE, 'apps/stage/kustomization.yaml': TREE['apps/stage/kustomization.yaml'] ?? '' };
    const head = { ...TREE, 'apps/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n' };
    const headSha = world().github.git.seed('acme/infra', `pr-${++branch}`, head);

    // Act
    const pr = await open('acme/infra', ['apps/base/deployment.yaml'], { headSha }, merge);
    await world().settle();

    // Assess
    expect(pr.targets).toEqual(['flux-system/infra-apps@stage', 'flux-system/infra-oci-apps@stage', 'flux-system/infra-apps@prod', 'flux-system/infra-oci-apps@prod']);
    expect(pr.noticeText).not.toMatch(/No diff target reads/);
  });

  it('follows a team folder’s kustomization file out of a path flux generates one for, and not to the files it does not list', async () => {
    // Prepare: tenants/ has no kustomization file; flux builds tenants/team-a by its own, which names ../../apps/base.
    const tree = {
      ...TREE,
      'tenants/namespaces.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: team-a }\n',
      'tenants/team-a/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../apps/base]\n',
      'tenants/team-a/draft.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: draft }\n',
    };

    // Act
    const base = await open('acme/infra', ['apps/base/deployment.yaml'], {}, undefined, tree);
    const draft = await open('acme/infra', ['tenants/team-a/draft.yaml'], {}, undefined, tree);
    await world().settle();

    // Assess
    expect(base.targets.filter((target) => target.includes('tenants'))).toEqual(['flux-system/infra-tenants@stage', 'flux-system/infra-tenants@prod']);
    expect(draft.targets).toEqual([]);
    expect(draft.noticeText).toMatch(/No diff target reads this changed file: `tenants\/team-a\/draft.yaml`/);
  });

  it('offers a Kustomization whose declaration the PR changes, where its parent applies it from, beside that parent', async () => {
    // Prepare: the PR moves infra-web to ./web-v2 in clusters/stage/web.yaml, under infra-root's path; another file elsewhere declares the same name.
    const declaration = (path: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infra-web\n  namespace: flux-system\nspec:\n  path: ${path}\n  sourceRef: { kind: GitRepository, name: infra }\n`;
    const tree = { ...TREE, 'clusters/stage/web.yaml': declaration('./web-v2'), 'web-v2/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\n', 'templates/web.yaml': declaration('./web-template') };

    // Act
    const moved = await open('acme/infra', ['clusters/stage/web.yaml'], {}, undefined, tree);
    const elsewhere = await open('acme/infra', ['templates/web.yaml'], {}, undefined, tree);
    await world().settle();

    // Assess
    expect(moved.targets).toEqual(['flux-system/infra-root@stage', 'flux-system/infra-web@stage', 'flux-system/infra-root@prod', 'flux-system/infra-web@prod']);
    expect(elsewhere.targets).toEqual([]);
  });

  it('names the changed files no target reads, across all targets', async () => {
    const pr = await open('acme/infra', ['infrastructure/ingress.yaml', 'apps/base/deployment.yaml', 'misc/unused.yaml']);
    await world().settle();

    expect(pr.targets).toHaveLength(6);
    expect(pr.noticeText).toMatch(/No diff target reads this changed file: `misc\/unused.yaml`/);
    expect(pr.noticeText).not.toMatch(/infrastructure\/ingress.yaml`[^"]*Their diff/);
  });

  it('queues the found targets under autoDiff', async () => {
    const pr = await open('acme/infra', ['infrastructure/ingress.yaml']);
    await world().settle();

    const jobs = await (await world().runtime()).store.listJobsOfPullRequest('acme/infra', pr.number);
    expect(jobs.map((job) => `${String(job.inputs.kustomization)}@${String(job.inputs.cluster)}`).sort()).toEqual(['flux-system/infra-infrastructure@prod', 'flux-system/infra-infrastructure@stage']);
  });

  it('keeps configured targets first, drops a configured one the PR does not touch, and adds the found ones', async () => {
    const pr = await open('acme/infra-pinned', ['infrastructure/ingress.yaml']);

    expect(pr.targets).toEqual(['flux-system/pinned-infra@stage', 'flux-system/pinned-infra@prod']);
  });

  it('runs a found target’s button, and refuses a crafted one for a Kustomization this PR does not touch', async () => {
    // Prepare
    const pr = await open('acme/infra-pinned', ['infrastructure/ingress.yaml']);
    const store = (await world().runtime()).store;
    const found = encodeAction({ type: 'flux-diff', repository: 'acme/infra-pinned', number: pr.number, kustomization: 'flux-system/pinned-infra', cluster: 'prod' });
    const crafted = encodeAction({ type: 'flux-diff', repository: 'acme/infra-pinned', number: pr.number, kustomization: 'flux-system/pinned-apps', cluster: 'prod' });

    // Act
    await world().click({ actionId: `${ACTIONS.fluxDiff}:1`, value: found, messageTs: pr.ts, user: 'U0DEV' });
    await world().click({ actionId: `${ACTIONS.fluxDiff}:9`, value: crafted, messageTs: pr.ts, user: 'U0EVE' });
    await world().settle();

    // Assess
    const jobs = await store.listJobsOfPullRequest('acme/infra-pinned', pr.number);
    expect(jobs.map((job) => `${String(job.inputs.kustomization)}@${String(job.inputs.cluster)}`)).toEqual(['flux-system/pinned-infra@prod']);
    expect(world().slack.ephemerals.filter((e) => e.user === 'U0EVE').at(-1)?.text).toMatch(/`flux-system\/pinned-apps` on `prod` is not a diff target of acme\/infra-pinned/);
  });

  it('reports coverage across the PR’s targets: a file another target reads is not called uncovered', async () => {
    // Prepare: infrastructure/ is read by pinned-infra, apps/base by infra-apps-like pinned-apps, misc/ by none
    const pr = await open('acme/infra-pinned', ['infrastructure/ingress.yaml', 'apps/base/deployment.yaml', 'misc/unused.yaml'], { path: 'infrastructure' });
    const value = encodeAction({ type: 'flux-diff', repository: 'acme/infra-pinned', number: pr.number, kustomization: 'flux-system/pinned-infra', cluster: 'stage' });

    // Act
    await world().click({ actionId: `${ACTIONS.fluxDiff}:0`, value, messageTs: pr.ts, user: 'U0DEV' });
    await world().settle();

    // Assess
    const report = world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1);
    const text = JSON.stringify(report?.blocks ?? []);
    expect(text).toMatch(/1 changed file is not covered by this diff: misc\/unused.yaml/);
    expect(text).toMatch(/read by this PR's other diff targets, not by this one: apps\/base\/deployment.yaml/);
  });

  it('does not wait on a cluster that accepts the connection and never answers: its configured targets stay, and the notice says why', async () => {
    // Prepare: `slow` is a black hole; stage is the fake API server
    const hole = await startBlackHole();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'fluxline-discover-'));
      writeFileSync(join(dir, 'stage'), world().kube.kubeconfigYaml());
      writeFileSync(join(dir, 'slow'), world().kube.kubeconfigYaml().replace(world().kube.url, hole.url));
      const config = parseConfig(
        [
          'slack: { channel: C0FLUX }',
          'clusters:',
          `  stage: { kubeconfig: { file: ${join(dir, 'stage')} } }`,
          `  slow: { kubeconfig: { file: ${join(dir, 'slow')} } }`,
          'repositories:',
          '  - name: acme/infra',
          '    diffs: [{ kustomization: flux-system/infra-apps, cluster: slow }]',
        ].join('\n'),
        'test',
      );
      const client = createGithubApp({ appId: APP_ID, privateKey: world().env.GITHUB_PRIVATE_KEY ?? '', apiUrl: world().github.url }).forInstallation(INSTALLATION);
      const headSha = world().github.git.seed('acme/infra', `pr-${++branch}`, TREE);
      const rule = config.repositories[0];
      if (!rule) throw new Error('no rule');

      // Act
      const found = await discoverDiffTargets(
        { config, client, readParameter: () => Promise.reject(new Error('no parameters here')), clusterTimeoutMs: 300 },
        { rule, repository: 'acme/infra', baseRef: 'main', treeSha: headSha, changed: ['infrastructure/ingress.yaml'] },
      );

      // Assess
      expect(hole.connections()).toBeGreaterThan(0);
      expect(found.targets).toEqual([
        { kustomization: 'flux-system/infra-apps', cluster: 'slow' },
        { kustomization: 'flux-system/infra-infrastructure', cluster: 'stage' },
      ]);
      expect(found.notes.join('\n')).toMatch(/Could not read the Kustomizations of `slow` \(no answer within 0.3 s\): its configured targets are offered/);
      // The requests are aborted, not left to their own 5 s timeout: no socket stays open behind the answer.
      await vi.waitFor(() => expect(hole.openConnections()).toBe(0), { timeout: 2_000, interval: 20 });
    } finally {
      await hole.stop();
    }
  });
});
