import * as z from '../validation';
import type { ExecutorSpec } from './contract';
import { message } from './message';
import { KUBECTL_META } from './builtin-meta';

/**
 * Read-only verbs only: the executor has no code path that writes, whatever its configuration says. `top`
 * reads metrics.k8s.io (pods or nodes, which must be allowed resources too); `api-resources` reads discovery,
 * and lists only the allowed resources.
 */
export const KUBECTL_VERBS = ['get', 'describe', 'logs', 'top', 'api-resources'] as const;
export type KubectlVerb = (typeof KUBECTL_VERBS)[number];

/**
 * The resources `kubectl` may read, with where the API server serves them. Secrets are absent on purpose:
 * no allow-list can open them, since their values would land in a chat channel.
 */
export const KUBECTL_RESOURCES = {
  pods: { group: '', version: 'v1', kind: 'Pod', namespaced: true, aliases: ['pod', 'po'] },
  services: { group: '', version: 'v1', kind: 'Service', namespaced: true, aliases: ['service', 'svc'] },
  configmaps: { group: '', version: 'v1', kind: 'ConfigMap', namespaced: true, aliases: ['configmap', 'cm'] },
  events: { group: '', version: 'v1', kind: 'Event', namespaced: true, aliases: ['event', 'ev'] },
  namespaces: { group: '', version: 'v1', kind: 'Namespace', namespaced: false, aliases: ['namespace', 'ns'] },
  nodes: { group: '', version: 'v1', kind: 'Node', namespaced: false, aliases: ['node', 'no'] },
  deployments: { group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true, aliases: ['deployment', 'deploy'] },
  statefulsets: { group: 'apps', version: 'v1', kind: 'StatefulSet', namespaced: true, aliases: ['statefulset', 'sts'] },
  daemonsets: { group: 'apps', version: 'v1', kind: 'DaemonSet', namespaced: true, aliases: ['daemonset', 'ds'] },
  replicasets: { group: 'apps', version: 'v1', kind: 'ReplicaSet', namespaced: true, aliases: ['replicaset', 'rs'] },
  jobs: { group: 'batch', version: 'v1', kind: 'Job', namespaced: true, aliases: ['job'] },
  cronjobs: { group: 'batch', version: 'v1', kind: 'CronJob', namespaced: true, aliases: ['cronjob', 'cj'] },
  ingresses: { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', namespaced: true, aliases: ['ingress', 'ing'] },
} as const;
export type KubectlResource = keyof typeof KUBECTL_RESOURCES;
const RESOURCE_NAMES = Object.keys(KUBECTL_RESOURCES) as [KubectlResource, ...KubectlResource[]];

export const kubectlConfigSchema = z.strictObject({
  verbs: z.array(z.enum(KUBECTL_VERBS)).check(z.minLength(1)),
  resources: z.array(z.enum(RESOURCE_NAMES)).check(z.minLength(1)),
  /** Namespaces it may read in; cluster-scoped resources (nodes, namespaces) ignore it. */
  namespaces: z.array(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'))).check(z.minLength(1)),
  /** `logs` shows at most this many lines (the last ones). */
  maxLogLines: z._default(z.int().check(z.positive(), z.lte(5_000)), 200),
  /** …and at most this many bytes (the API server's limitBytes). */
  maxLogBytes: z._default(z.int().check(z.positive(), z.lte(1_048_576)), 65_536),
});
export type KubectlConfig = z.infer<typeof kubectlConfigSchema>;

/** The executor's face, for config validation and help; `execute` is in lib/flows/executors (it needs the Kubernetes client). */
export const kubectlSpec: ExecutorSpec<KubectlConfig> = {
  ...KUBECTL_META,
  configSchema: kubectlConfigSchema,
  help: (configs) => {
    const union = <T>(pick: (config: KubectlConfig) => readonly T[]) => [...new Set(configs.flatMap(pick))];
    return message(
      { type: 'section', text: 'kubectl get|describe RESOURCE [NAME] [-n NAMESPACE | -A] · logs POD [-c CONTAINER] [--tail N] · top pods|nodes [NAME] [-n NAMESPACE | -A] · api-resources   [--cluster C]' },
      {
        type: 'text',
        text: `Allowed here: verbs ${union((c) => c.verbs).join(', ') || 'none'}; resources ${union((c) => c.resources).join(', ') || 'none'}; namespaces ${union((c) => c.namespaces).join(', ') || 'none'}. Connection flags (--kubeconfig, --server, --as, --token, --context…) are refused.`,
      },
    );
  },
};
