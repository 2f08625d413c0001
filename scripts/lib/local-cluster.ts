import { isScalar, parseDocument } from 'yaml';
import { parseConfig } from '../../lib/core/config';
import { expandHome } from '../../lib/adapters/kube/read-kubeconfig';
import type { KubeObject } from '../../test/fakes/kubernetes';
import { SAMPLE_KUSTOMIZATION, SAMPLE_REPOSITORY_URL } from './sample-fleet';

/**
 * `npm start`'s Kubernetes stand-in (scripts/start.mjs): when the example config is in use and its
 * cluster's kubeconfig file does not exist, the fake API server of test/fakes/kubernetes/index.ts takes the
 * cluster's place, through a derived copy of config.example.yaml.
 */

/** The cluster of config.example.yaml that the sample PRs are diffed on. */
export const LOCAL_CLUSTER = 'local';

export interface LocalKubeconfig {
  /** As the config writes it, e.g. `~/.kube/config`. */
  file: string;
  /** `file` with `~` expanded, as the functions read it. */
  path: string;
  context?: string;
}

/** The kubeconfig file the example config's `local` cluster reads; undefined when it reads none (ssm, eks). */
export function localKubeconfig(exampleText: string, source = 'config.example.yaml'): LocalKubeconfig | undefined {
  const cluster = parseConfig(exampleText, source).clusters[LOCAL_CLUSTER];
  if (!cluster || !('kubeconfig' in cluster) || !('file' in cluster.kubeconfig)) return undefined;
  const { file, context } = cluster.kubeconfig;
  return { file, path: expandHome(file), ...(context ? { context } : {}) };
}

const HEADER = [
  '# Written by `npm start` (scripts/start.mjs) on each run: config.example.yaml with the `local` cluster',
  '# pointed at the Kubernetes stand-in (test/fakes/kubernetes/index.ts). Edits here are lost: copy',
  '# config.example.yaml to config.yaml to make the config yours.',
  '',
].join('\n');

/**
 * config.example.yaml with the `local` cluster reading `kubeconfigPath`, and nothing else changed: the
 * YAML Document locates the value, and only its characters are replaced, so every comment and the
 * layout survive as written.
 */
export function localConfigYaml(exampleText: string, kubeconfigPath: string): string {
  const document = parseDocument(exampleText);
  const node = document.getIn(['clusters', LOCAL_CLUSTER, 'kubeconfig', 'file'], true);
  if (!isScalar(node) || !node.range) throw new Error(`config.example.yaml has no clusters.${LOCAL_CLUSTER}.kubeconfig.file to point at the stand-in`);
  const [start, valueEnd] = node.range;
  // Plain when it can be (flow maps end plain scalars at `,` `}` `]`), else a double-quoted YAML string.
  const value = /^[\w./~-]+$/.test(kubeconfigPath) ? kubeconfigPath : JSON.stringify(kubeconfigPath);
  const text = `${HEADER}\n${exampleText.slice(0, start)}${value}${exampleText.slice(valueEnd)}`;
  if (localKubeconfig(text, 'the derived local config')?.path !== kubeconfigPath) throw new Error('the derived local config does not read the stand-in kubeconfig');
  return text;
}

/**
 * What the stand-in cluster holds: the Kustomization the example config diffs, its source, and the
 * podinfo Deployment (in `apps.namespaces` of config.example.yaml) that `/flux list` reads.
 */
export function sampleClusterObjects(): KubeObject[] {
  const { namespace, name, path, source } = SAMPLE_KUSTOMIZATION;
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: source, namespace },
      spec: { url: SAMPLE_REPOSITORY_URL, interval: '1m', ref: { branch: 'main' } },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name, namespace },
      spec: { interval: '10m', path: `./${path}`, prune: true, sourceRef: { kind: 'GitRepository', name: source } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'podinfo', namespace: 'podinfo', labels: { 'app.kubernetes.io/name': 'podinfo', 'app.kubernetes.io/version': '6.7.1', 'helm.sh/chart': 'podinfo-6.7.1' } },
      spec: { replicas: 2, template: { spec: { containers: [{ name: 'podinfo', image: 'ghcr.io/stefanprodan/podinfo:6.7.1' }] } } },
      status: { replicas: 2, readyReplicas: 2 },
    },
  ];
}
