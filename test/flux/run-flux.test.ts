import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDiffArgs, classifyDiffRun, parseDiffReport, runFlux, type DiffOutcome, type RunFluxOptions } from '../../lib/adapters/flux';
import { useStandInFlux } from './support/stand-in-world';
import { createWorkspace, DIFF_FIXTURES, STAND_IN_FLUX } from './support/workspace';

const TOKEN = 'fluxline-test-token';
const KILL_GRACE_MS = 300;

/** True while `pid` runs; a zombie waiting for its reaper counts as dead. Linux /proc. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('runFlux with the stand-in flux, classified by the diff contract', () => {
  const world = useStandInFlux(TOKEN);

  const options = (overrides: Partial<RunFluxOptions> = {}): RunFluxOptions => ({
    bin: STAND_IN_FLUX,
    args: buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: world.work.checkout }),
    env: world.work.env,
    cwd: world.work.root,
    timeoutMs: 15_000,
    maxOutputBytes: 1_000_000,
    killGraceMs: KILL_GRACE_MS,
    ...overrides,
  });

  it.each<[string, string | undefined, DiffOutcome]>([
    ['no scenario file means no changes', undefined, { kind: 'no-changes' }],
    ['no-changes', 'no-changes', { kind: 'no-changes' }],
    ['changes', 'changes drifted-service', { kind: 'changes', report: readFileSync(join(DIFF_FIXTURES, 'drifted-service.golden'), 'utf8') }],
    [
      'build-error',
      'build-error ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found',
      { kind: 'build-error', message: '✗ ConfigMap/new-ns/app-config not found: namespaces "new-ns" not found' },
    ],
  ])('%s, end to end', async (_, scenario, expected) => {
    // Prepare
    if (scenario) world.work.scenario(scenario);

    // Act
    const run = await runFlux(options());

    // Assess
    expect(classifyDiffRun(run)).toEqual(expected);
    expect(run.timedOut).toBe(false);
    expect(run.truncated).toBe(false);
    // The stand-in's report of the run to the fake (/__fake/flux-runs) is not flux's; the last request flux makes is.
    expect(world.kube.requests.filter((r) => !r.path.startsWith('/__fake/')).at(-1)).toEqual({ path: '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps', authorization: `Bearer ${TOKEN}` });
  });

  it('accepts the diff flags flux has, given the cobra way (--recursive, --ignore-paths=…, -n=…)', async () => {
    // Prepare
    world.work.scenario('changes with-deployment');

    // Act
    const run = await runFlux(options({ args: ['diff', 'ks', 'apps', '-n=flux-system', '--path', world.work.checkout, '--recursive', '--ignore-paths=/tmp/**,*.md', '--progress-bar=false'] }));

    // Assess
    expect(classifyDiffRun(run)).toEqual({ kind: 'changes', report: readFileSync(join(DIFF_FIXTURES, 'with-deployment.golden'), 'utf8') });
  });

  it('passes flux only the environment it is given: PATH, HOME and KUBECONFIG', async () => {
    // Prepare
    world.work.scenario('echo-env');

    // Act
    const run = await runFlux(options());

    // Assess
    expect(run.stdout.trim().split('\n')).toEqual(['HOME', 'KUBECONFIG', 'PATH']);
    expect(classifyDiffRun(run)).toEqual({ kind: 'no-changes' });
  });

  it.each([
    ['an unknown flag', ['diff', 'kustomization', 'apps', '--foo'], '✗ unknown flag: --foo'],
    ['a missing Kustomization name', ['diff', 'kustomization', '-n', 'flux-system'], '✗ Kustomization name is required'],
    ['an invalid namespace', ['diff', 'kustomization', 'apps', '-n', 'Flux_System'], '✗ namespace must be a valid DNS label: "Flux_System"'],
  ])('reports %s as a usage error, not as changes', async (_, args, message) => {
    // Act
    const run = await runFlux(options({ args: [...args, '--path', world.work.checkout] }));

    // Assess
    expect(run.exitCode).toBe(1);
    expect(classifyDiffRun(run)).toEqual({ kind: 'usage-error', message });
  });

  it('reports a --path that is not a directory as flux does: exit 2, invalid resource path', async () => {
    // Act
    const run = await runFlux(options({ args: buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: join(world.work.root, 'missing') }) }));

    // Assess
    expect(classifyDiffRun(run)).toEqual({ kind: 'build-error', message: `✗ invalid resource path "${join(world.work.root, 'missing')}"` });
  });

  it('reports an unreachable cluster as a build error with the dial error', async () => {
    // Prepare
    const unreachable = createWorkspace('http://127.0.0.1:1', TOKEN);
    unreachable.scenario('changes drifted-service');

    // Act
    const run = await runFlux(options({ env: unreachable.env, args: buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: unreachable.checkout }) }));
    unreachable.remove();

    // Assess
    expect(classifyDiffRun(run)).toEqual({
      kind: 'build-error',
      message: '✗ failed to get kustomization object: Get "http://127.0.0.1:1/version": dial tcp 127.0.0.1:1: connect: connection refused',
    });
  });

  it('reports a rejected token as a build error: Unauthorized', async () => {
    // Prepare
    const wrongToken = createWorkspace(world.kube.url, 'not-the-token');
    wrongToken.scenario('changes drifted-service');

    // Act
    const run = await runFlux(options({ env: wrongToken.env, args: buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: wrongToken.checkout }) }));
    wrongToken.remove();

    // Assess
    expect(classifyDiffRun(run)).toEqual({ kind: 'build-error', message: '✗ failed to get kustomization object: Unauthorized' });
  });

  it('reports a Kustomization the cluster does not have as a build error', async () => {
    // Act
    const run = await runFlux(options({ args: buildDiffArgs({ name: 'missing', namespace: 'flux-system', path: world.work.checkout }) }));

    // Assess
    expect(classifyDiffRun(run)).toEqual({ kind: 'build-error', message: '✗ failed to get kustomization object: kustomizations.kustomize.toolkit.fluxcd.io "missing" not found' });
  });

  it('stops a hung flux at the timeout, with the helpers it started', async () => {
    // Prepare
    world.work.scenario('hang');

    // Act: the timeout leaves the stand-in (a Node process) time to start even on a loaded machine
    const run = await runFlux(options({ timeoutMs: 3_000 }));

    // Assess
    expect(run.timedOut).toBe(true);
    expect(run.signal).toBe('SIGTERM');
    expect(classifyDiffRun(run)).toEqual({ kind: 'timeout' });
    const helper = Number(/helper pid (\d+)/.exec(run.stderr)?.[1]);
    expect(helper).toBeGreaterThan(0);
    expect(isRunning(helper)).toBe(false);
  });

  it('SIGKILLs a flux that ignores SIGTERM once the grace period is over', async () => {
    // Prepare
    world.work.scenario('hang-stubborn');

    // Act: the timeout must outlast the stand-in's start, or SIGTERM lands before its handler exists (a loaded machine took over 500 ms)
    const run = await runFlux(options({ timeoutMs: 3_000 }));

    // Assess
    expect(run.timedOut).toBe(true);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stderr).toContain('ignoring SIGTERM');
    expect(classifyDiffRun(run)).toEqual({ kind: 'timeout' });
  });

  it('reports a flux killed by SIGSEGV as crashed', async () => {
    // Prepare
    world.work.scenario('crash');

    // Act
    const run = await runFlux(options());

    // Assess
    expect(run.signal).toBe('SIGSEGV');
    expect(classifyDiffRun(run)).toMatchObject({ kind: 'crashed', message: expect.stringContaining('killed by signal SIGSEGV') as unknown });
  });

  it('caps a huge report but reads it to the end, so flux is not blocked on a full pipe', async () => {
    // Prepare
    world.work.scenario('huge 1000000');

    // Act
    const run = await runFlux(options({ maxOutputBytes: 100_000 }));

    // Assess
    expect(run.truncated).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(100_000);
    expect(classifyDiffRun(run).kind).toBe('changes');
  });

  it('keeps a huge report whole when it fits the cap', async () => {
    // Prepare
    world.work.scenario('huge 1000000');

    // Act
    const run = await runFlux(options({ maxOutputBytes: 2_000_000 }));

    // Assess
    expect(run.truncated).toBe(false);
    expect(Buffer.byteLength(run.stdout)).toBeGreaterThanOrEqual(1_000_000);
    const summary = parseDiffReport(run.stdout);
    expect(summary.counts.drifted).toBe(run.stdout.split('\n').filter((line) => line.startsWith('► ConfigMap/default/cm-')).length);
    expect(summary.drifted[0]).toEqual({ kind: 'ConfigMap', namespace: 'default', name: 'cm-0' });
  });

  it.each([
    ['a missing binary', (root: string) => join(root, 'no-such-flux'), /^ENOENT/],
    [
      'a binary that is not executable',
      (root: string) => {
        const bin = join(root, 'flux-not-executable');
        writeFileSync(bin, '#!/bin/sh\nexit 0\n');
        chmodSync(bin, 0o644);
        return bin;
      },
      /^EACCES/,
    ],
  ])('reports %s as crashed, with the spawn error', async (_, makeBin, code) => {
    // Prepare
    const bin = makeBin(world.work.root);

    // Act
    const run = await runFlux(options({ bin }));

    // Assess
    expect(run.spawnError).toMatch(code);
    expect(run.exitCode).toBeNull();
    expect(classifyDiffRun(run)).toMatchObject({ kind: 'crashed', message: expect.stringMatching(/^flux could not be started: E/) as unknown });
  });
});
