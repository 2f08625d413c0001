import { describe, expect, it } from 'vitest';
import { buildDiffArgs, InvalidFluxArgument } from '../../lib/adapters/flux';

describe('buildDiffArgs', () => {
  it('builds the flux diff kustomization argv with the progress bar off', () => {
    // Act
    const args = buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: '/tmp/fluxline/job-1/src/clusters/stage' });

    // Assess
    expect(args).toEqual(['diff', 'kustomization', 'apps', '-n', 'flux-system', '--path', '/tmp/fluxline/job-1/src/clusters/stage', '--progress-bar=false']);
  });

  it('accepts a Kustomization name with dots, as metadata.name allows', () => {
    expect(buildDiffArgs({ name: 'podinfo.v2', namespace: 'apps', path: '/tmp/x' })[2]).toBe('podinfo.v2');
  });

  it.each([
    ['a flag as the name', { name: '--kubeconfig=/home/admin/.kube/config', namespace: 'flux-system', path: '/tmp/x' }],
    ['a short flag as the name', { name: '-n', namespace: 'flux-system', path: '/tmp/x' }],
    ['an upper-case name', { name: 'Apps', namespace: 'flux-system', path: '/tmp/x' }],
    ['a name with a slash', { name: 'flux-system/apps', namespace: 'flux-system', path: '/tmp/x' }],
    ['an empty name', { name: '', namespace: 'flux-system', path: '/tmp/x' }],
    ['a name past 253 characters', { name: 'a'.repeat(254), namespace: 'flux-system', path: '/tmp/x' }],
    ['a flag as the namespace', { name: 'apps', namespace: '--as=system:admin', path: '/tmp/x' }],
    ['a namespace with a dot (labels have none)', { name: 'apps', namespace: 'flux.system', path: '/tmp/x' }],
    ['a namespace past 63 characters', { name: 'apps', namespace: 'n'.repeat(64), path: '/tmp/x' }],
    ['a relative path', { name: 'apps', namespace: 'flux-system', path: 'clusters/stage' }],
    ['a path that is a flag', { name: 'apps', namespace: 'flux-system', path: '--server=https://evil' }],
    ['a path with a NUL byte', { name: 'apps', namespace: 'flux-system', path: '/tmp/x\0y' }],
  ])('refuses %s', (_, target) => {
    // Act
    const build = () => buildDiffArgs(target);

    // Assess
    expect(build).toThrow(InvalidFluxArgument);
  });

  it('passes the PR’s Kustomization file, flux’s own timeout and the source’s ignore rules, each as one argument', () => {
    // Act
    const args = buildDiffArgs({
      name: 'apps',
      namespace: 'flux-system',
      path: '/tmp/x/src/clusters/stage',
      kustomizationFile: '/tmp/x/src/clusters/stage/apps.yaml',
      timeoutMs: 270_000,
      ignorePaths: ['/docs/', '*.md', 'a,b', '"q"'],
    });

    // Assess
    expect(args).toContain('--kustomization-file=/tmp/x/src/clusters/stage/apps.yaml');
    expect(args).toContain('--timeout=270000ms');
    // pflag reads a string slice as one CSV record: a comma or quote in a pattern is quoted, not split.
    expect(args).toContain('--ignore-paths=/docs/,*.md,"a,b","""q"""');
  });

  it.each([
    ['a relative Kustomization file', { kustomizationFile: 'apps.yaml' }],
    ['a timeout under one millisecond', { timeoutMs: 0 }],
    ['an ignore pattern spanning lines', { ignorePaths: ['a\n--kubeconfig=/x'] }],
  ])('refuses %s', (_, extra) => {
    expect(() => buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: '/tmp/x', ...extra })).toThrow(InvalidFluxArgument);
  });

  it('diffs nested Kustomizations recursively, reading the PR’s source from the checkout', () => {
    const args = buildDiffArgs({ name: 'flux-system', namespace: 'flux-system', path: '/tmp/x/src/clusters/stage', localSources: [{ source: 'GitRepository/flux-system/flux-system', path: '/tmp/x/src' }] });
    expect(args.slice(-2)).toEqual(['--recursive', '--local-sources=GitRepository/flux-system/flux-system=/tmp/x/src']);
  });

  it.each([
    ['a source that is a flag', { source: '--kubeconfig=/x', path: '/tmp/x' }],
    ['a source of an unknown kind', { source: 'HelmRepository/flux-system/charts', path: '/tmp/x' }],
    ['a relative source path', { source: 'GitRepository/flux-system/fleet', path: 'src' }],
  ])('refuses %s as a local source', (_, local) => {
    expect(() => buildDiffArgs({ name: 'apps', namespace: 'flux-system', path: '/tmp/x', localSources: [local] })).toThrow(InvalidFluxArgument);
  });
});
