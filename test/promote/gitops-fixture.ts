/** The GitOps repository acme/fleet as the promote tests find it: prod under clusters/production (gitops.paths). */
export const PODINFO_RELEASE = `# podinfo on production — owned by team web
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
---
# the values stay as they are
apiVersion: v1
kind: ConfigMap
metadata: { name: podinfo-values, namespace: podinfo }
data:
  replicaCount: "2"
`;

export const API_KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
images:
  - name: ghcr.io/acme/api
    newTag: 2.0.1 # bumped by hand
`;

export const API_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: web }
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api # tag set by kustomization.yaml
`;

export const GITOPS_FILES: Record<string, string> = {
  'clusters/production/podinfo/release.yaml': PODINFO_RELEASE,
  'clusters/production/api/kustomization.yaml': API_KUSTOMIZATION,
  'clusters/production/api/deployment.yaml': API_DEPLOYMENT,
  'clusters/production/README.md': '# production\n',
  'clusters/stage/podinfo/release.yaml': PODINFO_RELEASE.replace('"6.5.3"', '"6.5.4"'),
  'apps/base/podinfo.yaml': 'kind: Namespace\n',
};
