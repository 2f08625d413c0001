import { beforeEach, describe, expect, it } from 'vitest';
import { buttonsOf, diffButton, useWorld, type OpenPullRequestOptions } from '../helpers/world';

/**
 * Issue #22: the diff compares what merging would deploy with the live cluster, as the controller would
 * apply it, and says so. Each test changes the world's `flux-system/apps` and its GitRepository, clicks
 * the PR's Flux diff button and reads the report, and what the stand-in flux was given (`kube.fluxRuns`).
 */
describe('worker: a flux diff the reviewer can trust', () => {
  const world = useWorld();
  /** The base branch's tip, which the cluster has applied unless a test says otherwise. */
  const BASE = 'b'.repeat(40);

  const gitRepository = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: { url: 'https://github.com/acme/fleet.git', interval: '1m', ref: { branch: 'main' }, ...spec },
  });
  const apps = (spec: Record<string, unknown> = {}, options: { status?: Record<string, unknown>; labels?: Record<string, string> } = {}) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', ...(options.labels ? { labels: options.labels } : {}) },
    spec: { interval: '10m', path: './clusters/stage', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...spec },
    status: options.status ?? { lastAppliedRevision: `main@sha1:${BASE}`, conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision' }] },
  });
  const declaration = (path: string, extra = '') =>
    `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;

  /**
   * A PR that changes the Kustomization's declaration and a file under its path: GitHub's tree of the commit
   * says apps' path (kustomization.yaml, `resources: []`) does not read apps.yaml, so a PR of the
   * declaration alone would not be offered a diff of apps.
   */
  const DECLARATION_AND_PATH = ['clusters/stage/apps.yaml', 'clusters/stage/kustomization.yaml'];

  beforeEach(() => {
    world().kube.put(gitRepository());
    world().kube.put(apps());
  });

  /** Opens a PR, clicks "Flux diff: flux-system/apps @ stage" and returns the report and what flux was given. */
  async function diff(scenario: string, options: OpenPullRequestOptions = {}) {
    const runsBefore = world().kube.fluxRuns.length;
    const pr = await world().openPullRequest(scenario, { baseSha: BASE, ...options });
    const button = diffButton(pr);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: pr.ts, user: 'U0ADMIN' });
    await world().settle();
    const report = world().slack.messages.filter((m) => m.threadTs === pr.ts).at(-1);
    if (!report) throw new Error('no report in the thread');
    const all = world().kube.fluxRuns.slice(runsBefore);
    // The diff's runs; `flux build` runs (the created objects' content) apart.
    const runs = all.filter((run) => run.argv[0] === 'diff');
    const builds = all.filter((run) => run.argv[0] === 'build');
    return { pr, report, runs, builds, run: runs.at(-1), text: `${report.text}\n${JSON.stringify(report.blocks ?? [])}` };
  }

  const approveButton = (blocks: unknown[] | undefined) =>
    ((blocks ?? []) as { type: string; elements?: { text?: { text: string }; confirm?: { text: { text: string } } }[] }[])
      .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
      .find((element) => element.text?.text === 'Approve PR');

  async function press(report: { ts: string; threadTs?: string; blocks?: unknown[] }, label: string, user = 'U0ADMIN') {
    const button = buttonsOf(report.blocks).find((b) => b.label === label);
    if (!button) throw new Error(`no ${label} button`);
    await world().click({ actionId: button.actionId, value: button.value, messageTs: report.ts, ...(report.threadTs ? { threadTs: report.threadTs } : {}), user });
    await world().settle();
    return world().slack.messages.filter((m) => m.threadTs === report.threadTs).at(-1);
  }

  describe('what is compared', () => {
    it('diffs GitHub’s test merge, not the PR head, and says so', async () => {
      // Prepare: the head alone would show changes; the merge with main changes nothing
      // Act
      const { pr, text, report } = await diff('changes drifted-service', { mergeScenario: 'no-changes' });

      // Assess
      expect(text).toMatch(/No changes/);
      expect(text).toContain(`the test merge \`${pr.mergeSha.slice(0, 7)}\` into \`main\``);
      expect(text).toContain(`Cluster applied \`main@sha1:${BASE}\`, base is \`${BASE.slice(0, 7)}\``);
      expect(text).toContain('path `clusters/stage` · live Kustomization spec · flux `v2.9.0-stand-in`');
      expect(approveButton(report.blocks)?.confirm).toBeUndefined();
    });

    it.each([
      [false, /GitHub has no test merge: the PR conflicts with \\"main\\"/],
      [null, /GitHub has not computed the test merge with \\"main\\" yet/],
    ])('diffs the head labelled "head, N commits behind base" when mergeable is %s, and Approve carries the warning', async (mergeable, why) => {
      // Act
      const { pr, text, report } = await diff('changes drifted-service', { mergeable, mergeScenario: 'no-changes', behindBy: 3 });

      // Assess
      expect(text).toMatch(/6 created/);
      expect(text).toContain(`\`${pr.headSha.slice(0, 7)}\` (head, 3 commits behind base)`);
      expect(text).toMatch(why);
      expect(approveButton(report.blocks)?.confirm?.text.text).toMatch(/3 commits behind base/);
    });

    it('warns when the cluster has not applied the base, and approving records the warning on GitHub', async () => {
      // Prepare
      world().kube.put(apps({}, { status: { lastAppliedRevision: `main@sha1:${'a'.repeat(40)}`, conditions: [{ type: 'Ready', status: 'True' }] } }));

      // Act
      const { pr, text, report } = await diff('no-changes');
      await press(report, 'Approve PR');

      // Assess
      expect(text).toMatch(new RegExp(`cluster applied main@sha1:a{40}, base is ${BASE.slice(0, 7)}`));
      const [review] = world().github.reviews.filter((r) => r.number === pr.number);
      expect(review?.body).toMatch(/\[!WARNING\][\s\S]*base is bbbbbbb/);
      expect(review?.body).toContain(`test merge ${pr.mergeSha}`);
    });

    it.each([
      [{ suspend: true }, undefined, /suspended: merging changes nothing/],
      [{}, { conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed' }], lastAppliedRevision: `main@sha1:${'b'.repeat(40)}` }, /not Ready \(BuildFailed\)/],
    ])('warns when the Kustomization is suspended or not Ready (%o)', async (spec, status, warning) => {
      world().kube.put(apps(spec, status ? { status } : {}));
      const { text } = await diff('no-changes');
      expect(text).toMatch(warning);
    });

    it.each([
      [{ tag: 'v1.2.0' }, /follows tag \\"v1.2.0\\", not \\"main\\": merging this PR deploys nothing to stage/],
      [{ semver: '>=1.0.0' }, /follows semver range/],
      [{ branch: 'release' }, /follows branch \\"release\\"/],
    ])('says merging deploys nothing when the GitRepository follows %o', async (ref, warning) => {
      world().kube.put(gitRepository({ ref }));
      const { text, report } = await diff('no-changes');
      expect(text).toMatch(warning);
      expect(approveButton(report.blocks)?.confirm?.text.text).toMatch(/deploys nothing/);
    });
  });

  describe('as the PR declares it and the controller applies it', () => {
    it('passes the PR’s own Kustomization with --kustomization-file and takes --path from it, choosing the file its parent applies', async () => {
      // Prepare: the PR moves apps to clusters/stage-next; prod declares a Kustomization of the same name
      world().kube.put({ ...apps({ path: './clusters/stage' }), metadata: { name: 'flux-system', namespace: 'flux-system' } });
      world().kube.put(apps({}, { labels: { 'kustomize.toolkit.fluxcd.io/name': 'flux-system', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } }));
      const tree = {
        'clusters/stage/apps.yaml': declaration('./clusters/stage-next'),
        'clusters/prod/apps.yaml': declaration('./clusters/prod'),
        'clusters/stage-next/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
        'clusters/stage-next/fluxline-scenario': 'changes drifted-service\n',
      };

      // Act
      const { run, text } = await diff('no-changes', { files: DECLARATION_AND_PATH, tree });

      // Assess
      expect(run?.argv.find((a) => a.startsWith('--kustomization-file='))).toMatch(/-checkout\/clusters\/stage\/apps\.yaml$/);
      expect(run?.kustomizationFile).toContain('path: ./clusters/stage-next');
      expect(run?.argv[run.argv.indexOf('--path') + 1]).toMatch(/-checkout\/clusters\/stage-next$/);
      expect(text).toMatch(/6 created/);
      expect(text).toContain('Kustomization from `clusters/stage/apps.yaml`');
    });

    /** apps builds ./apps/stage, and flux-system applies it from ./clusters/stage (its owner labels): the scope of a checkout file by file. */
    const appliedByFluxSystem = () => {
      world().kube.put({ ...apps({ path: './clusters/stage' }), metadata: { name: 'flux-system', namespace: 'flux-system' } });
      world().kube.put(apps({ path: './apps/stage' }, { labels: { 'kustomize.toolkit.fluxcd.io/name': 'flux-system', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } }));
    };

    it('fetches only what the diff reads when its parent says where the declaration sits: flux builds a base outside the path from it, and no tarball is downloaded', async () => {
      // Prepare: apps builds apps/stage from ../base.
      appliedByFluxSystem();
      const tree = {
        'clusters/stage/apps.yaml': declaration('./apps/stage'),
        'apps/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\n',
        'apps/stage/report.txt': '► Deployment/default/web created\n',
        'apps/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deployment.yaml]\n',
        'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 4\n',
        'infra/redis.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\n',
      };

      // Act
      const { pr, run, text } = await diff('changes-from report.txt', { path: 'apps/stage', files: ['apps/base/deployment.yaml'], tree });

      // Assess
      expect(run?.argv[run.argv.indexOf('--path') + 1]).toMatch(/-checkout\/apps\/stage$/);
      expect(text).toContain('replicas: 4');
      expect(world().github.requests.filter((r) => r.path.includes('/tarball/') && (r.path.includes(pr.mergeSha) || r.path.includes(pr.headSha)))).toEqual([]);
    });

    it('fetches a child Kustomization’s own path too, file by file, for the --recursive diff of a labelled one that declares it', async () => {
      // Prepare: apps builds apps/stage, which declares `redis` (path ./infra), changed by the PR: --recursive diffs it from the checkout.
      appliedByFluxSystem();
      const tree = {
        'clusters/stage/apps.yaml': declaration('./apps/stage'),
        'apps/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [redis.yaml]\n',
        'apps/stage/redis.yaml': declaration('./infra').replace('name: apps', 'name: redis'),
        'infra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [redis.yaml]\n',
        'infra/redis.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\n',
        'other/unread.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: unread\n',
      };

      // Act
      const { pr, run, text } = await diff('no-changes', { path: 'apps/stage', files: ['apps/stage/redis.yaml'], tree });

      // Assess: the child's files came through the contents API, and what nothing reads did not.
      expect(run?.argv).toContain('--recursive');
      expect(text).not.toMatch(/not covered/);
      const fetched = world().github.requests.filter((r) => r.path.includes('/contents/')).map((r) => decodeURIComponent(r.path.split('/contents/')[1] ?? ''));
      expect(fetched).toEqual(expect.arrayContaining(['infra/kustomization.yaml', 'infra/redis.yaml']));
      expect(fetched).not.toContain('other/unread.yaml');
      expect(world().github.requests.filter((r) => r.path.includes('/tarball/') && (r.path.includes(pr.mergeSha) || r.path.includes(pr.headSha)))).toEqual([]);
    });

    it('says so and diffs the live spec when several files declare the Kustomization and none is the live one', async () => {
      const tree = { 'a/apps.yaml': declaration('./a'), 'b/apps.yaml': declaration('./b') };
      const { run, text } = await diff('no-changes', { tree });
      expect(run?.argv.some((a) => a.startsWith('--kustomization-file'))).toBe(false);
      expect(text).toMatch(/several files declare flux-system\/apps \(a\/apps.yaml, b\/apps.yaml\)/);
    });

    it('dry-runs as the Kustomization’s service account, so a tenant’s diff fails where its apply would', async () => {
      // Prepare
      const account = 'system:serviceaccount:flux-system:tenant-a';
      world().kube.put(apps({ serviceAccountName: 'tenant-a' }));
      let forbidden = false;
      world().kube.forbid((request) => forbidden && request.user === account && request.resource === 'kustomizations');

      // Act
      const allowed = await diff('no-changes');
      forbidden = true;
      const refused = await diff('no-changes');
      forbidden = false;

      // Assess
      expect(allowed.run?.impersonateUser).toBe(account);
      expect(allowed.text).toContain(`dry-run as ${account}`);
      expect(refused.text).toMatch(/failed/);
      expect(refused.text).toContain(`User \\"${account}\\" cannot get resource \\"kustomizations\\"`);
    });

    it('gives flux its own --timeout below the worker’s kill timer, and the source’s ignore rules', async () => {
      // Prepare: FLUX_TIMEOUT_SECONDS is 2 in the world
      world().kube.put(gitRepository({ ignore: '# docs are not deployed\n/docs/\n*.md\n' }));
      world().kube.put({ ...gitRepository(), metadata: { name: 'fleet', namespace: 'tenants' } });

      // Act
      const { run, text } = await diff('no-changes', { tree: { '.sourceignore': 'tests/\n*.md\n' } });

      // Assess
      expect(run?.argv).toContain('--timeout=1000ms');
      expect(run?.argv).toContain('--ignore-paths=/docs/,*.md,tests/');
      // A root Kustomization's children from this repository are diffed with their content, from the checkout.
      expect(run?.argv).toContain('--recursive');
      const local = run?.argv.find((a) => a.startsWith('--local-sources='))?.slice('--local-sources='.length).split(',');
      expect(local).toHaveLength(2);
      expect(local?.[0]).toMatch(/^GitRepository\/flux-system\/flux-system=\/.*-checkout$/);
      // Another GitRepository of the same repository (a tenant's) reads the same checkout; acme/platform's does not.
      expect(local?.[1]).toMatch(/^GitRepository\/tenants\/fleet=\/.*-checkout$/);
      expect(text).toMatch(/left out as source-controller does/);
    });
  });

  describe('what the diff covers', () => {
    it('never says a bare "No changes" while the PR changes files the diff does not read', async () => {
      // Act
      const { text, report } = await diff('no-changes', { files: ['clusters/stage/apps.yaml', 'infrastructure/redis.yaml'], tree: { 'infrastructure/redis.yaml': 'kind: ConfigMap\n' } });

      // Assess
      expect(text).toMatch(/No changes\* in what this diff reads: .* but 1 changed file is not covered/);
      expect(text).toContain('1 changed file is not covered by this diff: infrastructure/redis.yaml');
      expect(approveButton(report.blocks)?.confirm?.text.text).toMatch(/not covered/);
    });

    it('counts files reached through resources: ../base and components as covered', async () => {
      // Prepare
      const tree = {
        'clusters/stage/kustomization.yaml': 'resources:\n  - ../../apps/base\ncomponents:\n  - ../../components/probes\npatches:\n  - path: replicas.yaml\n',
        'clusters/stage/replicas.yaml': 'kind: Deployment\n',
        'apps/base/kustomization.yaml': 'resources: [deployment.yaml]\nconfigMapGenerator:\n  - name: settings\n    files: [app.properties=settings.properties]\n',
        'apps/base/deployment.yaml': 'kind: Deployment\n',
        'apps/base/settings.properties': 'a=b\n',
        'components/probes/kustomization.yaml': 'kind: Component\n',
        'apps/other/deployment.yaml': 'kind: Deployment\n',
      };
      const files = ['apps/base/deployment.yaml', 'apps/base/settings.properties', 'components/probes/kustomization.yaml', 'clusters/stage/replicas.yaml', 'apps/other/deployment.yaml'];

      // Act
      const { text } = await diff('no-changes', { files, tree });

      // Assess
      expect(text).toContain('1 changed file is not covered by this diff: apps/other/deployment.yaml');
    });

    it('reads what the path reaches from the diffed merge, not the head: main made it build ../../apps/base since the branch was cut', async () => {
      // Prepare
      const tree = { 'clusters/stage/kustomization.yaml': 'resources: []\n', 'apps/base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'apps/base/deployment.yaml': 'kind: Deployment\n' };
      const mergeTree = { 'clusters/stage/kustomization.yaml': 'resources:\n  - ../../apps/base\n' };

      // Act
      const { text } = await diff('no-changes', { files: ['clusters/stage/apps.yaml', 'apps/base/deployment.yaml'], tree, mergeTree });

      // Assess
      expect(text).not.toMatch(/not covered/);
      expect(text).toMatch(/\*No changes\*: /);
    });
  });

  describe('nothing leaks', () => {
    const VALUE = 's3cr3t-Value-42';
    beforeEach(() => {
      world().kube.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-vars', namespace: 'flux-system' }, data: { token: Buffer.from(VALUE).toString('base64') } });
      world().kube.put(apps({ postBuild: { substituteFrom: [{ kind: 'Secret', name: 'cluster-vars' }, { kind: 'Secret', name: 'absent', optional: true }] } }));
    });
    const leaky = {
      'clusters/stage/report.txt': `► ConfigMap/default/app drifted\n\ndata.token\n± value change\n- old\n+ ${VALUE}\n\ndata.encoded\n± value change\n- old\n+ ${Buffer.from(VALUE).toString('base64')}\n`,
    };

    it('masks substituteFrom Secret values in the report, the stored result and the PR comment', async () => {
      // Act
      const { pr, text, report } = await diff('changes-from report.txt', { tree: leaky, privateRepository: true });
      await press(report, 'Post diff to PR');

      // Assess
      const stored = await (await world().runtime()).store.listJobsOfPullRequest('acme/fleet', pr.number);
      const results = await Promise.all(stored.map(async (job) => (await (await world().runtime()).store.getJobResult(job.id))?.text ?? ''));
      for (const where of [text, ...results, ...world().github.comments.filter((c) => c.number === pr.number).map((c) => c.body)]) {
        expect(where).not.toContain(VALUE);
        expect(where).not.toContain(Buffer.from(VALUE).toString('base64'));
      }
      expect(text).toContain('[substituted secret]');
      expect(world().github.comments.filter((c) => c.number === pr.number)).toHaveLength(1);
    });

    it('refuses Post diff to PR on a public repository for a non-admin when the diff touches substituted secrets', async () => {
      // Act
      const { pr, report } = await diff('changes-from report.txt', { tree: leaky, privateRepository: false });
      const answer = await press(report, 'Post diff to PR', 'U0BOB');

      // Assess
      expect(world().github.comments.filter((c) => c.number === pr.number)).toHaveLength(0);
      expect(answer?.text).toMatch(/only a Fluxline admin may post it/);
      // Nor does the check run, as public as the PR, carry it.
      const [check] = world().github.checkRuns.filter((run) => run.headSha === pr.headSha);
      expect(check?.output.title).toMatch(/0 created · 1 changed/);
      expect(check?.output.text).not.toMatch(/ConfigMap\/default\/app|substituted secret\]/);
      expect(check?.output.text).toMatch(/the diff is in the Slack report only/);
    });

    it('masks the Secrets the PR’s own declaration adds to substituteFrom, which flux substitutes from the cluster', async () => {
      // Prepare: the live apps substitutes nothing; the PR's declaration asks for another Secret of the namespace
      const stolen = 'Tr0ub4dor-and-3';
      world().kube.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-creds', namespace: 'flux-system' }, data: { value: Buffer.from(stolen).toString('base64') } });
      world().kube.put(apps());
      const tree = {
        'clusters/stage/apps.yaml': declaration('./clusters/stage', '  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: db-creds\n'),
        'clusters/stage/report.txt': `► ConfigMap/default/exfiltrate created\n\ndata.greeting: hello ${stolen}\n`,
      };

      // Act
      const { text, run } = await diff('changes-from report.txt', { files: DECLARATION_AND_PATH, tree, privateRepository: true });

      // Assess
      expect(run?.kustomizationFile).toContain('db-creds');
      expect(text).not.toContain(stolen);
      expect(text).toContain('[substituted secret]');
    });

    it('keeps impersonating the live service account when the PR changes it, and says so', async () => {
      world().kube.put(apps({ serviceAccountName: 'tenant-a' }));
      const { run, text } = await diff('no-changes', { files: DECLARATION_AND_PATH, tree: { 'clusters/stage/apps.yaml': declaration('./clusters/stage', '  serviceAccountName: cluster-admin\n') } });
      expect(run?.impersonateUser).toBe('system:serviceaccount:flux-system:tenant-a');
      expect(text).toMatch(/this PR changes spec.serviceAccountName from tenant-a to cluster-admin: the diff ran as the live one/);
    });

    it('says SOPS values are compared by key when the Kustomization decrypts', async () => {
      world().kube.put(apps({ decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } }));
      const { text } = await diff('no-changes');
      expect(text).toContain('SOPS values are compared by key');
    });
  });

  describe('created objects, shown with their content', () => {
    const VALUE = 'Sub5tituted-t0ken';
    const manifests = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:${TAG:=1.0.0}\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: default\nstringData:\n  password: hunter2-plain\ndata:\n  key: aHVudGVyMi1lbmNvZGVk\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: default\ndata:\n  greeting: "hello ${token}"\n',
    ].join('---\n');
    const report = '► Deployment/default/web created\n► Secret/default/creds created\n► ConfigMap/default/settings created\n';
    const tree = (extra: Record<string, string> = {}) => ({
      'clusters/stage/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [app.yaml]\n',
      'clusters/stage/app.yaml': manifests,
      'clusters/stage/report.txt': report,
      ...extra,
    });
    beforeEach(() => {
      world().kube.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-vars', namespace: 'flux-system' }, data: { token: Buffer.from(VALUE).toString('base64') } });
      world().kube.put(apps({ postBuild: { substitute: { TAG: '2.1.0' }, substituteFrom: [{ kind: 'Secret', name: 'cluster-vars' }] } }));
    });
    const checkRunText = (headSha: string) => world().github.checkRuns.filter((run) => run.headSha === headSha).map((run) => JSON.stringify(run)).join('\n');

    it('shows a created Deployment’s content, built once with flux build of the same target, in Slack, the PR comment and the check run', async () => {
      // Act
      const { pr, text, report: message, builds, run } = await diff('changes-from report.txt', { tree: tree(), privateRepository: true });
      await press(message, 'Post diff to PR');

      // Assess
      expect(builds).toHaveLength(1);
      expect(builds[0]?.argv.slice(0, 3)).toEqual(['build', 'kustomization', 'apps']);
      expect(builds[0]?.argv).not.toContain('--dry-run');
      // The same target as the diff: path, ignore rules, local sources, identity.
      expect(builds[0]?.argv.filter((a) => !a.startsWith('--timeout'))).toEqual(run?.argv.filter((a) => a !== '--progress-bar=false' && !a.startsWith('--timeout')).map((a, i) => (i === 0 ? 'build' : a)));
      expect(text).toContain('image: ghcr.io/acme/web:2.1.0');
      const [comment] = world().github.comments.filter((c) => c.number === pr.number);
      expect(comment?.body).toContain('at path `clusters/stage` with the live Kustomization spec with flux `v2.9.0-stand-in` against the live cluster');
      expect(comment?.body).toMatch(/<details><summary>► Deployment\/default\/web created<\/summary>[\s\S]*```yaml\n[\s\S]*replicas: 2[\s\S]*image: ghcr.io\/acme\/web:2.1.0[\s\S]*?<\/details>/);
      expect(checkRunText(pr.headSha)).toMatch(/<details><summary>\+ Deployment\/default\/web \(created\)<\/summary>[\s\S]*image: ghcr.io\/acme\/web:2.1.0/);
    });

    it('shows a created Secret without any of its values, and masks a substituted secret value in the built content', async () => {
      // Act
      const { pr, text, report: message } = await diff('changes-from report.txt', { tree: tree(), privateRepository: true });
      await press(message, 'Post diff to PR');

      // Assess
      const [comment] = world().github.comments.filter((c) => c.number === pr.number);
      for (const where of [text, comment?.body ?? '', checkRunText(pr.headSha)]) {
        expect(where).not.toMatch(/hunter2|aHVudGVyMi1lbmNvZGVk/);
        expect(where).not.toContain(VALUE);
        expect(where).not.toContain(Buffer.from(VALUE).toString('base64'));
      }
      expect(comment?.body).toMatch(/► Secret\/default\/creds created<\/summary>[\s\S]*password: "(\*\*\*\*\*|\[redacted\])"[\s\S]*?<\/details>/);
      expect(comment?.body).toMatch(/► ConfigMap\/default\/settings created<\/summary>[\s\S]*greeting: hello \[substituted secret\]/);
    });

    it('keeps the names, with a note, when flux build fails', async () => {
      // Act
      const { text, builds } = await diff('changes-from report.txt', { tree: tree({ 'clusters/stage/fluxline-build': 'build-error accumulating resources: boom\n' }), privateRepository: true });

      // Assess
      expect(builds).toHaveLength(1);
      expect(text).toMatch(/3 created/);
      expect(text).toContain('Deployment/default/web');
      expect(text).toMatch(/flux build could not show the created objects \(✗? ?kustomize build failed: accumulating resources: boom\): only their names are shown/);
      expect(text).not.toContain('replicas: 2');
    });

    it('does not run flux build when nothing is created', async () => {
      const { builds } = await diff('changes drifted-service', { mergeScenario: 'no-changes' });
      expect(builds).toHaveLength(0);
    });
  });

  describe('reports that say what merging will do', () => {
    it('explains a PR that deletes the Kustomization’s spec.path, without running flux', async () => {
      const { runs, text } = await diff('no-changes', { path: null });
      expect(runs).toHaveLength(0);
      expect(text).toMatch(/this PR removes \\"clusters\/stage\\", the spec.path of Kustomization flux-system\/apps: on merge, flux-system\/apps fails to build on stage and prunes nothing/);
      expect(text).toMatch(/delete the Kustomization object/);
    });

    it('refuses a spec.kubeConfig Kustomization clearly when config does not say which cluster it reaches, without running flux', async () => {
      world().kube.put(apps({ kubeConfig: { secretRef: { name: 'edge-kubeconfig' } } }));
      const { runs, text } = await diff('no-changes');
      expect(runs).toHaveLength(0);
      expect(text).toMatch(/applies to a remote cluster \(spec.kubeConfig, Secret edge-kubeconfig\)/);
      expect(text).toMatch(/add the remote cluster under `clusters` in config.yaml and map `flux-system\/edge-kubeconfig` to it in `clusters.stage.remoteClusters`/);
    });

    it('dry-runs a spec.kubeConfig Kustomization on the cluster config maps its Secret to, with the PR’s declaration', async () => {
      // Prepare: stage's remoteClusters maps flux-system/prod-kubeconfig to prod
      const kubeConfig = '  kubeConfig:\n    secretRef:\n      name: prod-kubeconfig\n';
      world().kube.put(apps({ kubeConfig: { secretRef: { name: 'prod-kubeconfig' } } }));

      // Act
      const { run, text } = await diff('changes drifted-service', { files: DECLARATION_AND_PATH, mergeScenario: 'changes drifted-service', tree: { 'clusters/stage/apps.yaml': declaration('./clusters/stage', kubeConfig) } });

      // Assess
      expect(run?.argv).toContain('--ignore-not-found');
      expect(run?.kustomizationFile).toContain('prod-kubeconfig');
      expect(text).toMatch(/6 created/);
      expect(text).toMatch(/dry-run on prod, the cluster spec.kubeConfig \(Secret prod-kubeconfig\) reaches \(clusters.stage.remoteClusters\)/);
    });

    it('uses the remote cluster’s own access: a remote that does not answer fails the diff, stage is not asked instead', async () => {
      // Prepare: down-kubeconfig maps to `down`, whose endpoint refuses connections
      world().kube.put(apps({ kubeConfig: { secretRef: { name: 'down-kubeconfig' } } }));
      const tree = { 'clusters/stage/apps.yaml': declaration('./clusters/stage', '  kubeConfig:\n    secretRef:\n      name: down-kubeconfig\n') };

      // Act
      const { runs, text } = await diff('changes drifted-service', { files: DECLARATION_AND_PATH, tree });

      // Assess
      expect(runs).toHaveLength(0);
      expect(text).toMatch(/failed/);
      expect(text).toMatch(/127\.0\.0\.1:\d+.*(refused|ECONNREFUSED)/);
    });

    it('refuses a mapped spec.kubeConfig Kustomization that no file of the commit declares', async () => {
      world().kube.put(apps({ kubeConfig: { secretRef: { name: 'prod-kubeconfig' } } }));
      const { runs, text } = await diff('no-changes');
      expect(runs).toHaveLength(0);
      expect(text).toMatch(/applies to prod \(spec.kubeConfig, Secret prod-kubeconfig\), which holds no copy of it: .*no file of this commit declares it/);
    });

    it('explains a source that does not exist on the cluster', async () => {
      world().kube.put(apps({ sourceRef: { kind: 'GitRepository', name: 'gone' } }));
      const { runs, text } = await diff('no-changes');
      expect(runs).toHaveLength(0);
      expect(text).toMatch(/builds from GitRepository flux-system\/gone, which does not exist on stage: .*merging this PR changes nothing there/);
    });

    it('diffs an OCIRepository source whose artifact names this repository, and warns that merging alone deploys nothing', async () => {
      // Prepare
      const oci = (metadata: Record<string, string>) => ({
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata: { name: 'manifests', namespace: 'flux-system' },
        spec: { url: 'oci://ghcr.io/acme/manifests', interval: '5m', ref: { tag: 'latest' } },
        status: { artifact: { revision: 'latest@sha256:abc', metadata } },
      });
      world().kube.put(apps({ sourceRef: { kind: 'OCIRepository', name: 'manifests' } }));
      world().kube.put(oci({ 'org.opencontainers.image.source': 'https://github.com/acme/fleet', 'org.opencontainers.image.revision': `main@sha1:${BASE}` }));

      // Act
      const named = await diff('changes drifted-service');
      world().kube.put(oci({ 'org.opencontainers.image.source': 'https://github.com/acme/platform' }));
      const other = await diff('changes drifted-service');

      // Assess
      expect(named.runs).toHaveLength(1);
      expect(named.text).toMatch(/6 created/);
      expect(named.text).toMatch(/deploys artifacts, not commits: merging deploys nothing there until CI pushes an artifact/);
      expect(other.runs).toHaveLength(0);
      expect(other.text).toMatch(/org.opencontainers.image.source annotation names acme\/platform, not acme\/fleet/);
    });
  });
});
