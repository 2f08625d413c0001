import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkoutPullRequest } from '../../lib/flows/diffs/checkout-pull-request';
import { MAX_BLOB_BYTES } from '../../lib/adapters/github';
import { MAX_SCOPED_FILES, type CheckoutScope } from '../../lib/flows/diffs/scoped-checkout';
import { buildInputs } from '../helpers/build-inputs';
import { githubTarball, type TarballLink } from '../helpers/github-tarball';
import { addPullRequest, HEAD_SHA, seen, startHarness, type Harness } from '../github/harness';

const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;
const declaration = (path: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;

/**
 * A fleet whose `apps` Kustomization (declared in clusters/stage, its parent's path) builds apps/stage:
 * a base outside its path, a component two folders up, a patch, a generator reading a non-YAML file in a
 * sibling folder, and an overlay folder only its kustomization's subfolder names. Besides: other apps,
 * infrastructure, and vendored charts nothing builds.
 */
const FLEET: Record<string, string | Buffer | TarballLink> = {
  'clusters/stage/kustomization.yaml': kustomization('resources:\n  - apps.yaml\n  - infra.yaml\n'),
  'clusters/stage/apps.yaml': declaration('./apps/stage'),
  'clusters/stage/infra.yaml': declaration('./infra').replace('name: apps', 'name: infra'),
  'apps/stage/kustomization.yaml': kustomization('resources:\n  - ../base\npatches:\n  - path: replicas.yaml\nconfigMapGenerator:\n  - name: settings\n    files:\n      - app=../shared/settings.conf\n'),
  'apps/stage/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
  'apps/base/kustomization.yaml': kustomization('resources:\n  - deployment.yaml\ncomponents:\n  - ../../components/monitoring\n'),
  'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent\n',
  'apps/shared/settings.conf': `# ${'x'.repeat(100 * 1024)}\n`,
  'apps/shared/unrelated.conf': `# ${'y'.repeat(100 * 1024)}\n`,
  'components/monitoring/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - monitor.yaml\n',
  'components/monitoring/monitor.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\n',
  'apps/prod/kustomization.yaml': kustomization('resources:\n  - ../base\n'),
  'infra/kustomization.yaml': kustomization('resources:\n  - redis.yaml\n'),
  'infra/redis.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: redis\n',
  '.sourceignore': 'docs/\n',
  'docs/README.md': '# fleet\n',
  'vendor/charts/podinfo-6.5.0.tgz': Buffer.alloc(900 * 1024, 7),
};

/** Every file under `folder`, repository-relative, sorted. */
function filesIn(folder: string): string[] {
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile: () => boolean }[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .sort();
}

/** A Flux Kustomization `child` of the same source, as a root's path declares it: `--recursive` diffs it from `path`. */
const child = (path: string) => declaration(path).replace('name: apps', 'name: child');
/** A JSON patch, indented for a block scalar, that would move a Kustomization elsewhere. */
const PATH_PATCH = '      - op: replace\n        path: /spec/path\n        value: ./apps/prod\n';

const SCOPE: CheckoutScope = { target: { namespace: 'flux-system', name: 'apps' }, livePath: './apps/stage', declarationsWithin: 'clusters/stage' };

describe('checking out only what the diffed Kustomization reads', () => {
  let h: Harness;
  let work: string;
  beforeEach(async () => {
    h = await startHarness();
    work = mkdtempSync(join(tmpdir(), 'scoped-'));
    addPullRequest(h.github, 7);
  });
  afterEach(async () => {
    await h.github.stop();
    rmSync(work, { recursive: true, force: true });
  });
  const checkout = (scope: Promise<CheckoutScope | undefined> = Promise.resolve(SCOPE), scopedCheckoutMinBytes = 0, repositoryBytes?: number) =>
    checkoutPullRequest(
      { github: () => Promise.resolve(h.app), maxTarballBytes: 50 * 1024 * 1024, scopedCheckoutMinBytes },
      { repository: 'acme/fleet', number: 7, folder: join(work, 'src'), admit: () => undefined, scope, ...(repositoryBytes !== undefined ? { repositoryBytes: Promise.resolve(repositoryBytes) } : {}) },
    );

  it('fetches the build’s reach (a base, a component, a patch, a generator’s file outside the path), the declarations and .sourceignore, and no tarball', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    const pending = checkout();

    // Act
    const { folder, scoped, unwritten, extracted } = await pending.ready;

    // Assess: what a build of apps/stage reads is there, and nothing it does not read but the declarations.
    const inputs = buildInputs(folder, 'apps/stage').map((file) => relative(folder, file));
    expect(inputs).toEqual(expect.arrayContaining(['apps/base/deployment.yaml', 'components/monitoring/monitor.yaml', 'apps/stage/replicas.yaml', 'apps/shared/settings.conf']));
    expect(inputs.filter((file) => !existsSync(join(folder, file)))).toEqual([]);
    const declarations = ['clusters/stage/apps.yaml', 'clusters/stage/infra.yaml', 'clusters/stage/kustomization.yaml'];
    expect(filesIn(folder)).toEqual([...new Set([...inputs, ...declarations, '.sourceignore'])].sort());
    expect(readFileSync(join(folder, 'apps/shared/settings.conf'), 'utf8')).toBe(FLEET['apps/shared/settings.conf']);
    expect(scoped).toEqual({ files: filesIn(folder).length, bytes: extracted.writtenBytes, treeFiles: Object.keys(FLEET).length });
    expect([...unwritten.keys()].sort()).toEqual(['apps/prod/kustomization.yaml', 'apps/shared/unrelated.conf', 'docs/README.md', 'infra/kustomization.yaml', 'infra/redis.yaml', 'vendor/charts/podinfo-6.5.0.tgz']);
    expect(seen(h.github, /tarball/)).toEqual([]);
    expect(seen(h.github, /\/contents\//)).toHaveLength(filesIn(folder).length);

    // Act: a scoped checkout holds one Kustomization's reach, so it is not kept.
    await pending.dispose();

    // Assess
    expect(existsSync(folder)).toBe(false);
  });

  it('follows the path the PR declares, not the live one', async () => {
    // Prepare: the PR moves apps to apps/stage-next.
    const moved = { ...FLEET, 'clusters/stage/apps.yaml': declaration('./apps/stage-next'), 'apps/stage-next/kustomization.yaml': kustomization('resources:\n  - ../prod\n') };
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, moved));
    const pending = checkout();

    // Act
    const { folder } = await pending.ready;

    // Assess
    expect(existsSync(join(folder, 'apps/stage-next/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(folder, 'apps/prod/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(folder, 'apps/base/deployment.yaml'))).toBe(true);
    expect(existsSync(join(folder, 'apps/stage/replicas.yaml'))).toBe(true); // the live path is fetched with the declarations
    expect(existsSync(join(folder, 'apps/shared/settings.conf'))).toBe(false); // only the live path's generator named it
    await pending.dispose();
  });

  it('keeps the diffed path’s folder when nothing in it is written (a folder of vendored archives is not a removed path)', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, { ...FLEET, 'clusters/stage/apps.yaml': declaration('./vendor/charts') }));

    // Act
    const { folder, scoped } = await checkout().ready;

    // Assess
    expect(scoped).toBeDefined();
    expect(readdirSync(join(folder, 'vendor/charts'))).toEqual([]);
  });

  it('follows a child Kustomization the diffed path declares to its own spec.path, as --recursive does, and fetches nothing else', async () => {
    // Prepare: apps/stage declares `child`, built from ./infra; a patch there targets Deployments only.
    const files = {
      ...FLEET,
      'apps/stage/kustomization.yaml': kustomization('resources:\n  - ../base\n  - child.yaml\npatches:\n  - path: replicas.yaml\n  - target:\n      kind: Deployment\n    patch: |\n      - op: add\n        path: /metadata/labels/tier\n        value: web\n'),
      'apps/stage/child.yaml': child('./infra'),
    };
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, files));

    // Act
    const pending = checkout();
    const { folder, scoped } = await pending.ready;

    // Assess
    expect(scoped).toBeDefined();
    expect(seen(h.github, /tarball/)).toEqual([]);
    expect(readFileSync(join(folder, 'infra/redis.yaml'), 'utf8')).toBe(FLEET['infra/redis.yaml']);
    expect(existsSync(join(folder, 'infra/kustomization.yaml'))).toBe(true);
    expect(existsSync(join(folder, 'apps/prod/kustomization.yaml'))).toBe(false);
    await pending.dispose();
  });

  it('fetches a file over the 1 MB the contents API inlines through the blobs API, by its sha in the tree', async () => {
    // Prepare: apps/stage lists a 1.5 MB bundle of CRDs.
    const crds = `# crds\n${'c'.repeat(1_500_000)}\n`;
    const files = { ...FLEET, 'apps/stage/kustomization.yaml': kustomization('resources:\n  - ../base\n  - crds.yaml\n'), 'apps/stage/crds.yaml': crds };
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, files));

    // Act
    const pending = checkout();
    const { folder, scoped } = await pending.ready;

    // Assess
    expect(scoped).toBeDefined();
    expect(readFileSync(join(folder, 'apps/stage/crds.yaml'), 'utf8')).toBe(crds);
    expect(seen(h.github, /git\/blobs/)).toHaveLength(1);
    expect(seen(h.github, /tarball/)).toEqual([]);
    await pending.dispose();
  });

  const many = Object.fromEntries(Array.from({ length: MAX_SCOPED_FILES }, (_, i) => [`apps/stage/many/object-${i}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: object-${i}\n`]));
  it.each<[string, Record<string, string | Buffer | TarballLink | null>, { scope?: CheckoutScope | undefined; minBytes?: number }]>([
    ['a child Kustomization whose spec.path may be substituted', { 'apps/stage/child.yaml': child('./${CLUSTER}/infra'), 'apps/stage/kustomization.yaml': kustomization('resources:\n  - child.yaml\n') }, {}],
    ['a kustomization patch whose target may be a child Kustomization (any kind named child)', { 'apps/stage/child.yaml': child('./infra'), 'apps/stage/kustomization.yaml': kustomization(`resources:\n  - child.yaml\npatches:\n  - target:\n      name: child\n    patch: |\n${PATH_PATCH}`) }, {}],
    ['a patch of the diffed Kustomization’s own that targets Kustomizations', { 'apps/stage/child.yaml': child('./infra'), 'apps/stage/kustomization.yaml': kustomization('resources:\n  - child.yaml\n'), 'clusters/stage/apps.yaml': `${declaration('./apps/stage')}  patches:\n    - target:\n        kind: Kustom.*\n      patch: |\n${PATH_PATCH.replace(/^/gm, '    ')}` }, {}],
    ['replacements beside a child Kustomization', { 'apps/stage/child.yaml': child('./infra'), 'apps/stage/kustomization.yaml': kustomization('resources:\n  - child.yaml\nreplacements:\n  - path: replace.yaml\n'), 'apps/stage/replace.yaml': 'source: { kind: ConfigMap, name: c }\ntargets: []\n' }, {}],
    ['a patch that makes an object a Flux Kustomization', { 'apps/stage/replicas.yaml': '- op: replace\n  path: /apiVersion\n  value: kustomize.toolkit.fluxcd.io/v1\n' }, {}],
    ['a symbolic link anywhere in the repository', { 'docs/current': { link: '../apps/base' } }, {}],
    [`more than ${MAX_SCOPED_FILES} files to fetch`, many, {}],
    [`a file in the reach over ${MAX_BLOB_BYTES / 2 ** 20} MB, which would arrive whole`, { 'apps/stage/kustomization.yaml': kustomization('resources:\n  - ../base\n  - crds.yaml\n'), 'apps/stage/crds.yaml': `# crds\n${'c'.repeat(MAX_BLOB_BYTES)}\n` }, {}],
    ['a Helm chart kustomize inflates', { 'apps/stage/kustomization.yaml': kustomization('helmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n') }, {}],
    ['a transformer whose configuration may name files', { 'apps/stage/kustomization.yaml': kustomization('resources:\n  - ../base\ntransformers:\n  - labels.yaml\n'), 'apps/stage/labels.yaml': 'apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: ../../secret-patch.yaml\n' }, {}],
    ['a reference out of the repository', { 'apps/stage/kustomization.yaml': kustomization('resources:\n  - ../../../etc\n') }, {}],
    ['a kustomization file that does not parse', { 'apps/base/kustomization.yaml': 'resources: [unclosed\n' }, {}],
    ['a repository smaller than the threshold', {}, { minBytes: 64 * 1024 * 1024 }],
    ['no scope from the cluster (the parent Kustomization is unknown)', {}, { scope: undefined }],
  ])('downloads the tarball instead on %s', async (_, change, options) => {
    // Prepare
    const files = Object.fromEntries(Object.entries({ ...FLEET, ...change }).filter((entry): entry is [string, string | Buffer | TarballLink] => entry[1] !== null));
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, files));
    const pending = checkout(Promise.resolve('scope' in options ? options.scope : SCOPE), options.minBytes ?? 0);

    // Act
    const { folder, scoped } = await pending.ready;

    // Assess: the whole repository as a tarball checkout writes it.
    expect(scoped).toBeUndefined();
    expect(seen(h.github, /tarball/)).toHaveLength(1);
    expect(existsSync(join(folder, 'infra/redis.yaml'))).toBe(true);
    expect(existsSync(join(folder, 'apps/prod/kustomization.yaml'))).toBe(true);
    await pending.dispose();
  });

  it('starts a small repository’s tarball without waiting for the cluster to say what the diff reads', async () => {
    // Prepare: the cluster never answers; the tree says the repository is under the threshold.
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));

    // Act
    const { scoped, folder } = await checkout(new Promise<CheckoutScope | undefined>(() => undefined), 64 * 1024 * 1024).ready;

    // Assess
    expect(scoped).toBeUndefined();
    expect(existsSync(join(folder, 'infra/redis.yaml'))).toBe(true);
  });

  it.each([
    ['under the threshold: the tarball at once, no tree listed', 1024, 0],
    ['over it: the tree is listed and the reach fetched', 64 * 1024 * 1024, 1],
  ])('takes the notice’s word for the repository’s size: %s', async (_, repositoryBytes, treeCalls) => {
    // Prepare: the fleet holds just over 1 MiB.
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));

    // Act
    const { scoped } = await checkout(Promise.resolve(SCOPE), 1024 * 1024, repositoryBytes).ready;

    // Assess
    expect(seen(h.github, /git\/trees/)).toHaveLength(treeCalls);
    expect(scoped === undefined).toBe(treeCalls === 0);
  });

  it('downloads the tarball when GitHub lists the tree only in part', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    h.github.failNext({ method: 'GET', path: /\/git\/trees\// }, [{ status: 200, body: { sha: 'x', url: 'x', truncated: true, tree: [{ path: 'apps', mode: '040000', type: 'tree', sha: 'y' }] } }]);

    // Act
    const { scoped, folder } = await checkout().ready;

    // Assess
    expect(scoped).toBeUndefined();
    expect(existsSync(join(folder, 'infra/redis.yaml'))).toBe(true);
  });

  it('downloads the tarball when GitHub will not list the tree', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    h.github.failNext({ method: 'GET', path: /\/git\/trees\// }, [{ status: 409, body: { message: 'Git Repository is empty.' } }]);

    // Act
    const { scoped, folder } = await checkout().ready;

    // Assess
    expect(scoped).toBeUndefined();
    expect(existsSync(join(folder, 'infra/redis.yaml'))).toBe(true);
  });

  it('fails the checkout, and leaves no folder, when GitHub keeps failing a file’s contents', async () => {
    // Prepare
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    h.github.failNext({ method: 'GET', path: /\/contents\/apps(\/|%2F)base(\/|%2F)deployment\.yaml/ }, Array.from({ length: 10 }, () => ({ status: 502, body: { message: 'Server Error' } })));
    const pending = checkout();

    // Act
    const failure = pending.ready;

    // Assess
    await expect(failure).rejects.toMatchObject({ status: 502 });
    await pending.dispose();
    expect(existsSync(join(work, 'src'))).toBe(false);
  });

  it('stops waiting for the scope when disposed, and removes the folder', async () => {
    // Prepare: the cluster never says.
    h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, FLEET));
    const pending = checkout(new Promise<CheckoutScope | undefined>(() => undefined));
    await pending.admitted;

    // Act
    await pending.dispose();

    // Assess
    await expect(pending.ready).rejects.toThrow();
    expect(existsSync(join(work, 'src'))).toBe(false);
    expect(seen(h.github, /tarball/)).toEqual([]);
  });

  /** Folders of a random fleet; each has a kustomization.yaml naming some of the others, a manifest, and maybe a generator's file elsewhere. */
  const FOLDERS = ['apps/web', 'apps/api', 'apps/base', 'base/common', 'components/monitoring', 'shared/config', 'infra/redis'];
  const folderArbitrary = fc.record({
    resources: fc.subarray(FOLDERS, { maxLength: 3 }),
    components: fc.subarray(FOLDERS, { maxLength: 1 }),
    generatorInputs: fc.subarray(FOLDERS, { maxLength: 2 }),
    patch: fc.boolean(),
    declaresFluxKustomization: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    childPath: fc.constantFrom(...FOLDERS),
  });

  it('property: a checkout file by file holds every file the build of the declared path reads, byte for byte, or the tarball is used', async () => {
    let scopedRuns = 0;
    let recursiveRuns = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(...FOLDERS.map(() => folderArbitrary)), fc.constantFrom(...FOLDERS), fc.constantFrom(...FOLDERS), async (layout, livePath, declaredPath) => {
        // Prepare: the fleet, and the same files on disk for the oracle.
        const files: Record<string, string> = { 'clusters/stage/apps.yaml': declaration(`./${declaredPath}`), 'clusters/stage/kustomization.yaml': kustomization('resources: [apps.yaml]\n') };
        layout.forEach((folder, i) => {
          const at = FOLDERS[i] ?? '';
          const rel = (to: string) => posix.relative(at, to) || '.';
          const resources = [`object.yaml`, ...folder.resources.filter((to) => to !== at).map(rel)];
          const generators = folder.generatorInputs.map((to) => `${rel(to)}/input-${i}.conf`);
          files[`${at}/kustomization.yaml`] = kustomization(
            `resources: ${JSON.stringify(resources)}\n` +
              (folder.components.length > 0 && folder.components[0] !== at ? `components: ${JSON.stringify(folder.components.map(rel))}\n` : '') +
              (folder.patch ? 'patches:\n  - path: patch.yaml\n' : '') +
              (generators.length > 0 ? `configMapGenerator:\n  - name: g${i}\n    files: ${JSON.stringify(generators)}\n` : ''),
          );
          files[`${at}/object.yaml`] = folder.declaresFluxKustomization ? declaration(`./${folder.childPath}`).replace('name: apps', `name: child-${i}`) : `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: object-${i}\n`;
          if (folder.patch) files[`${at}/patch.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: object-${i}\ndata:\n  patched: "yes"\n`;
          for (const to of folder.generatorInputs) files[`${to}/input-${i}.conf`] = `# input ${i}\n${'z'.repeat(70 * 1024)}\n`;
        });
        h.github.setTarball('acme/fleet', HEAD_SHA, await githubTarball(HEAD_SHA, files));
        const source = mkdtempSync(join(tmpdir(), 'scoped-source-'));
        for (const [path, body] of Object.entries(files)) {
          mkdirSync(dirname(join(source, path)), { recursive: true });
          writeFileSync(join(source, path), body);
        }
        rmSync(join(work, 'src'), { recursive: true, force: true });
        const pending = checkout(Promise.resolve({ ...SCOPE, livePath }));

        // Act
        const { folder, scoped, unwritten } = await pending.ready;

        // Assess
        try {
          if (!scoped) return;
          scopedRuns++;
          if (layout.some((shape, i) => shape.declaresFluxKustomization && shape.childPath !== FOLDERS[i] && buildInputs(source, declaredPath).includes(join(source, FOLDERS[i] ?? '', 'object.yaml')))) recursiveRuns++;
          for (const input of buildInputs(source, declaredPath).map((file) => relative(source, file))) {
            if (existsSync(join(source, input))) expect(readFileSync(join(folder, input), 'utf8')).toBe(files[input]);
          }
          expect([...filesIn(folder), ...unwritten.keys()].sort()).toEqual(Object.keys(files).sort());
        } finally {
          await pending.dispose();
          rmSync(source, { recursive: true, force: true });
        }
      }),
      { numRuns: 40 },
    );
    // The file-by-file checkout was what ran in most random fleets, children (--recursive) included.
    expect(scopedRuns).toBeGreaterThan(10);
    expect(recursiveRuns).toBeGreaterThan(3);
  }, 60_000);
});
