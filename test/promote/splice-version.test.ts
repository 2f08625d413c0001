import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { findVersionTargets, spliceVersion, VersionNotEditable } from '../../lib/flows/promote';

const RELEASE = `# podinfo on production — owned by team web
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 1h   # the index rarely changes
  url: https://stefanprodan.github.io/podinfo
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      version: "6.5.3"     # pinned: see INC-42
      sourceRef: { kind: HelmRepository, name: podinfo }
  values:
    replicaCount: 2 # keep two
`;

const KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [deployment.yaml]
images:
  - name: ghcr.io/acme/worker
    newTag: '3.1.0'
  # the API image
  - name: ghcr.io/acme/api
    newTag: 2.0.1 # bumped by hand
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.2.0@sha256:abcdef0123456789 # pinned digest
        - name: proxy
          image: docker.io/envoyproxy/envoy:v1.30.1
`;

describe('editing the version in YAML', () => {
  it('changes only the HelmRelease chart version, keeping every other byte and the quoting', () => {
    // Prepare
    const targets = findVersionTargets(RELEASE, 'podinfo') ?? [];

    // Act
    const edited = spliceVersion('release.yaml', RELEASE, targets, '6.5.4');

    // Assess
    expect(targets.map((t) => [t.kind, t.current])).toEqual([['helm-release', '6.5.3']]);
    expect(edited).toBe(RELEASE.replace('"6.5.3"', '"6.5.4"'));
    expect(parseAllDocuments(edited)[1]?.getIn(['spec', 'chart', 'spec', 'version'])).toBe('6.5.4');
  });

  it('changes the newTag of the kustomization image ending in /<app>, and no other entry', () => {
    // Prepare
    const targets = findVersionTargets(KUSTOMIZATION, 'api') ?? [];

    // Act
    const edited = spliceVersion('kustomization.yaml', KUSTOMIZATION, targets, '2.0.2');

    // Assess
    expect(targets.map((t) => [t.kind, t.current])).toEqual([['kustomize-image', '2.0.1']]);
    expect(edited).toBe(KUSTOMIZATION.replace('newTag: 2.0.1 #', 'newTag: 2.0.2 #'));
  });

  it('keeps single quotes, and quotes a version that would read back as a number', () => {
    // Prepare
    const worker = findVersionTargets(KUSTOMIZATION, 'worker') ?? [];
    const api = findVersionTargets(KUSTOMIZATION, 'api') ?? [];

    // Act
    const quoted = spliceVersion('k.yaml', KUSTOMIZATION, worker, "3.2.0");
    const float = spliceVersion('k.yaml', KUSTOMIZATION, api, '2.1');

    // Assess
    expect(quoted).toBe(KUSTOMIZATION.replace("'3.1.0'", "'3.2.0'"));
    expect(float).toBe(KUSTOMIZATION.replace('newTag: 2.0.1', 'newTag: "2.1"'));
  });

  it('changes the tag of a container image and drops the digest that pinned the old one', () => {
    // Prepare
    const targets = findVersionTargets(DEPLOYMENT, 'web') ?? [];

    // Act
    const edited = spliceVersion('deployment.yaml', DEPLOYMENT, targets, '1.3.0');

    // Assess
    expect(targets.map((t) => [t.kind, t.current])).toEqual([['container-image', '1.2.0']]);
    expect(edited).toBe(DEPLOYMENT.replace('ghcr.io/acme/web:1.2.0@sha256:abcdef0123456789', 'ghcr.io/acme/web:1.3.0'));
  });

  it('finds nothing for an app the file does not name, and refuses a file that does not parse', () => {
    expect(findVersionTargets(RELEASE, 'web')).toEqual([]);
    expect(findVersionTargets('a: [unclosed\n', 'web')).toBeUndefined();
  });

  it('refuses a HelmRelease without a pinned chart version rather than inventing the field', () => {
    // Prepare
    const floating = RELEASE.replace('      version: "6.5.3"     # pinned: see INC-42\n', '');
    const targets = findVersionTargets(floating, 'podinfo') ?? [];

    // Act
    const act = () => spliceVersion('release.yaml', floating, targets, '6.5.4');

    // Assess
    expect(act).toThrow(VersionNotEditable);
    expect(act).toThrow(/no `spec.chart.spec.version`/);
  });
});
