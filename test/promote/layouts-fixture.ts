/**
 * A GitOps repository with the layouts people use to set a version, under clusters/production (prod):
 * HelmReleases (chart version, values.image.tag, chartRef to an OCIRepository), a `${var}` substitution
 * and a semver range that must not be overwritten, a Flux Kustomization's `spec.patches` block, a
 * kustomization.yaml overlay patching a base, a base with no overlay patch, and an image policy marker.
 */
export const INGRESS_NGINX = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ingress-nginx
  namespace: web
spec:
  interval: 30m
  chart:
    spec:
      chart: ingress-nginx
      version: 4.9.1 # chart version, not the controller's
      sourceRef:
        kind: HelmRepository
        name: ingress-nginx
        namespace: flux-system
`;

export const WEB = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: web
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: "1.2.0"
      sourceRef: { kind: HelmRepository, name: acme, namespace: flux-system }
  values:
    image:
      repository: ghcr.io/acme/web
      tag: "1.2.0" # the app's own version
`;

export const PODINFO_SUBSTITUTED = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: web
spec:
  chart:
    spec:
      chart: podinfo
      version: "\${podinfo_version}"
      sourceRef: { kind: HelmRepository, name: podinfo, namespace: flux-system }
`;

export const APPS_KUSTOMIZATION = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/production
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      podinfo_version: "6.5.3"
`;

export const CACHE_RANGE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: web
spec:
  chart:
    spec:
      chart: redis
      version: ">=6.0.0 <7.0.0"
      sourceRef: { kind: HelmRepository, name: bitnami, namespace: flux-system }
`;

export const METRICS_RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: metrics
  namespace: web
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: metrics-chart
    namespace: flux-system
`;

export const METRICS_SOURCE = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: metrics-chart
  namespace: flux-system
spec:
  interval: 10m
  layerSelector:
    mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    operation: copy
  url: oci://ghcr.io/acme/charts/metrics
  ref:
    tag: 2.1.0 # pinned chart
`;

export const WORKERS_KUSTOMIZATION = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: workers
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/workers
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  patches:
    - patch: |
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: worker
        spec:
          template:
            spec:
              containers:
                - name: worker
                  image: ghcr.io/acme/worker:3.1.0
      target:
        kind: Deployment
        name: worker
`;

export const BACKEND_OVERLAY = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../apps/base/backend
patches:
  - target: { kind: HelmRelease, name: backend }
    patch: |-
      - op: replace
        path: /spec/chart/spec/version
        value: "3.0.1" # prod lags a release
`;

const baseRelease = (name: string, version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: web
spec:
  chart:
    spec:
      chart: ${name}
      version: "${version}"
      sourceRef: { kind: HelmRepository, name: acme, namespace: flux-system }
`;

export const FRONTEND_OVERLAY = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../apps/base/frontend
`;

export const API_IMAGES = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: ghcr.io/acme/api
    newTag: 2.0.1 # {"$imagepolicy": "flux-system:api:tag"}
`;

export const LAYOUT_FILES: Record<string, string> = {
  'clusters/production/ingress-nginx.yaml': INGRESS_NGINX,
  'clusters/production/web.yaml': WEB,
  'clusters/production/podinfo.yaml': PODINFO_SUBSTITUTED,
  'clusters/production/apps.yaml': APPS_KUSTOMIZATION,
  'clusters/production/cache.yaml': CACHE_RANGE,
  'clusters/production/metrics/release.yaml': METRICS_RELEASE,
  'clusters/production/metrics/source.yaml': METRICS_SOURCE,
  'clusters/production/workers.yaml': WORKERS_KUSTOMIZATION,
  'clusters/production/backend/kustomization.yaml': BACKEND_OVERLAY,
  'clusters/production/frontend/kustomization.yaml': FRONTEND_OVERLAY,
  'clusters/production/api/kustomization.yaml': API_IMAGES,
  'apps/base/backend/release.yaml': baseRelease('backend', '3.0.0'),
  'apps/base/frontend/release.yaml': baseRelease('frontend', '1.0.0'),
};
