import { describe, expect, it } from 'vitest';
import { findVersionTargets, spliceVersion } from '../../lib/flows/promote';

describe('finding the version in a patch block', () => {
  it.each([
    ['|', ''],
    ['|-', ''],
    ['|2', ''],
    ['|', '\n'],
  ])('edits a HelmRelease patch inside a `patch: %s` block with blank lines in it', (indicator, blank) => {
    // Prepare
    const text = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  patches:
    - patch: ${indicator}
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
${blank}        metadata:
          name: podinfo

        spec:
          chart:
            spec:
              version: '6.5.3' # prod
      target: { kind: HelmRelease, name: podinfo }
`;

    // Act
    const targets = findVersionTargets(text, 'podinfo') ?? [];
    const edited = spliceVersion('apps.yaml', text, targets, '6.5.4');

    // Assess
    expect(targets.map((t) => [t.kind, t.current, t.viaPatch])).toEqual([['helm-release', '6.5.3', true]]);
    expect(edited).toBe(text.replace("'6.5.3'", "'6.5.4'"));
  });

  it('refuses a version inside a folded patch instead of guessing its bytes', () => {
    // Prepare
    const text = `patches:
  - patch: >
      kind: HelmRelease
      metadata: {name: podinfo}
      spec: {chart: {spec: {version: 6.5.3}}}
`;

    // Act
    const targets = findVersionTargets(text, 'podinfo') ?? [];

    // Assess
    expect(targets).toHaveLength(0);
  });

  it('finds nothing in a patch of another app', () => {
    // Prepare
    const text = `patches:\n  - target: { kind: HelmRelease, name: other }\n    patch: |\n      - op: replace\n        path: /spec/chart/spec/version\n        value: 1.0.0\n`;

    // Act, Assess
    expect(findVersionTargets(text, 'podinfo')).toEqual([]);
  });
});
