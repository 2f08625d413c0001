import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKustomizationArgs, builtObjects, classifyBuildRun, runFlux } from '../../lib/adapters/flux';
import { useStandInFlux } from './support/stand-in-world';
import { STAND_IN_FLUX } from './support/workspace';

const TOKEN = 'fluxline-test-token';

describe('buildKustomizationArgs', () => {
  it('builds the same target as the diff, without the progress bar flux build does not have', () => {
    expect(buildKustomizationArgs({ name: 'apps', namespace: 'flux-system', path: '/tmp/c/clusters/stage', kustomizationFile: '/tmp/c/apps.yaml', timeoutMs: 900 })).toEqual([
      'build',
      'kustomization',
      'apps',
      '-n',
      'flux-system',
      '--path',
      '/tmp/c/clusters/stage',
      '--kustomization-file=/tmp/c/apps.yaml',
      '--timeout=900ms',
    ]);
  });

  it('refuses --dry-run without a Kustomization file, as flux does', () => {
    expect(() => buildKustomizationArgs({ name: 'apps', namespace: 'flux-system', path: '/tmp/c', dryRun: true })).toThrow(/needs a Kustomization file/);
  });
});

describe('builtObjects', () => {
  it('reads each object of flux build’s output and masks every Secret value, data and stringData', () => {
    // Prepare: ssautil.ObjectsToYAML output, each object followed by `---`
    const stdout = 'apiVersion: v1\ndata:\n  key: aHVudGVyMg==\nkind: Secret\nmetadata:\n  name: creds\n  namespace: default\nstringData:\n  password: |\n    hunter2\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n---\n';

    // Act
    const objects = builtObjects(stdout);

    // Assess
    expect(objects.map(({ kind, namespace, name }) => ({ kind, namespace, name }))).toEqual([
      { kind: 'Secret', namespace: 'default', name: 'creds' },
      { kind: 'Namespace', namespace: undefined, name: 'apps' },
    ]);
    expect(objects[0]?.yaml).not.toMatch(/hunter2|aHVudGVyMg/);
    expect(objects[0]?.yaml).toContain('password: "*****"');
    expect(objects[1]?.yaml).toBe('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n');
  });
});

describe('the stand-in’s flux build kustomization', () => {
  const world = useStandInFlux(TOKEN);
  const build = (args: string[]) => runFlux({ bin: STAND_IN_FLUX, args, env: world.work.env, cwd: world.work.root, timeoutMs: 15_000, maxOutputBytes: 1_000_000 });

  it('prints the objects of the path with the Kustomization file’s substitutions and owner labels', async () => {
    // Prepare
    writeFileSync(join(world.work.checkout, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  tag: ${TAG}\n');
    const file = join(world.work.root, 'apps.yaml');
    writeFileSync(file, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  postBuild:\n    substitute:\n      TAG: "1.2"\n');

    // Act
    const run = await build(buildKustomizationArgs({ name: 'apps', namespace: 'flux-system', path: world.work.checkout, kustomizationFile: file, dryRun: true }));

    // Assess
    expect(classifyBuildRun(run)).toEqual({ kind: 'built' });
    expect(run.stdout).toBe('apiVersion: v1\ndata:\n  tag: "1.2"\nkind: ConfigMap\nmetadata:\n  labels:\n    kustomize.toolkit.fluxcd.io/name: apps\n    kustomize.toolkit.fluxcd.io/namespace: flux-system\n  name: app\n  namespace: default\n---\n');
  });

  it('diffs a Kustomization the cluster lacks from its --kustomization-file with --ignore-not-found, as on a spec.kubeConfig remote', async () => {
    // Prepare
    const file = join(world.work.root, 'remote.yaml');
    writeFileSync(file, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: remote-apps\n  namespace: flux-system\nspec:\n  path: ./\n');
    const diff = (extra: string[]) => runFlux({ bin: STAND_IN_FLUX, args: ['diff', 'kustomization', 'remote-apps', '--path', world.work.checkout, `--kustomization-file=${file}`, ...extra], env: world.work.env, cwd: world.work.root, timeoutMs: 15_000, maxOutputBytes: 1_000_000 });

    // Act
    const [strict, lenient] = [await diff([]), await diff(['--ignore-not-found'])];

    // Assess
    expect(strict.exitCode).toBe(2);
    expect(lenient.exitCode).toBe(0);
  });

  it.each([
    ['--dry-run without a file', ['--dry-run'], '✗ dry-run mode requires a kustomization file'],
    ['a path that is not a folder', ['--path=/nowhere'], '✗ invalid resource path "/nowhere"'],
  ])('fails with exit 1 and flux’s words for %s', async (_, extra, message) => {
    const run = await build(['build', 'kustomization', 'apps', '--path', world.work.checkout, ...extra]);
    expect(run.exitCode).toBe(1);
    expect(classifyBuildRun(run)).toEqual({ kind: 'failed', message });
  });
});
