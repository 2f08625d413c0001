import type { KubeObject } from '../fakes/kubernetes';

/** Flux objects as the controllers leave them on a cluster (shapes from `kubectl get -o yaml` of Flux 2.x). */
export function kustomization(overrides: { name?: string; namespace?: string; path?: string; sourceRef?: Record<string, string>; suspend?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: overrides.name ?? 'apps', namespace: overrides.namespace ?? 'flux-system', labels: { 'kustomize.toolkit.fluxcd.io/name': 'flux-system' } },
    spec: {
      interval: '10m0s',
      ...(overrides.path === undefined ? { path: './apps/staging' } : overrides.path ? { path: overrides.path } : {}),
      prune: true,
      sourceRef: overrides.sourceRef ?? { kind: 'GitRepository', name: 'flux-system' },
      ...(overrides.suspend === undefined ? {} : { suspend: overrides.suspend }),
    },
    status: {
      conditions: [
        { lastTransitionTime: '2024-05-01T10:00:00Z', message: 'Applied revision: main@sha1:1a2b3c4d', observedGeneration: 1, reason: 'ReconciliationSucceeded', status: 'True', type: 'Ready' },
      ],
      lastAppliedRevision: 'main@sha1:1a2b3c4d',
      observedGeneration: 1,
    },
  };
}

export function gitRepository(overrides: { name?: string; namespace?: string; url?: string } = {}): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: overrides.name ?? 'flux-system', namespace: overrides.namespace ?? 'flux-system' },
    spec: { interval: '1m0s', ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, timeout: '60s', url: overrides.url ?? 'ssh://git@github.com/acme/fleet' },
    status: {
      artifact: { digest: 'sha256:abc', lastUpdateTime: '2024-05-01T10:00:00Z', path: 'gitrepository/flux-system/flux-system/1a2b.tar.gz', revision: 'main@sha1:1a2b3c4d', size: 1234, url: 'http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/1a2b.tar.gz' },
      conditions: [{ lastTransitionTime: '2024-05-01T10:00:00Z', message: "stored artifact for revision 'main@sha1:1a2b3c4d'", observedGeneration: 1, reason: 'Succeeded', status: 'True', type: 'Ready' }],
    },
  };
}

export function deployment(name: string, namespace: string, options: { images: string[]; replicas?: number; readyReplicas?: number; labels?: Record<string, string> }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: options.labels ?? { 'app.kubernetes.io/name': name } },
    spec: {
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          initContainers: [{ name: 'init', image: 'busybox:1.36' }],
          containers: options.images.map((image, i) => ({ name: `c${i}`, image, ports: [{ containerPort: 9898, protocol: 'TCP' }] })),
        },
      },
    },
    status: { observedGeneration: 1, replicas: options.replicas ?? 1, updatedReplicas: options.readyReplicas ?? 0, ...(options.readyReplicas ? { readyReplicas: options.readyReplicas, availableReplicas: options.readyReplicas } : {}) },
  };
}
