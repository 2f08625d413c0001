import { KUBECTL_RESOURCES, KUBECTL_VERBS, ExecutorRefusal, type KubectlConfig, type KubectlResource, type KubectlVerb } from '../../core/executors';

/**
 * Flags that would point kubectl at another cluster or identity, or loosen TLS: the cluster and identity
 * are the channel binding's, chosen by the dispatcher, never by what is typed.
 */
const CONNECTION_FLAGS = [
  '--kubeconfig', '--server', '-s', '--as', '--as-group', '--as-uid', '--token', '--context', '--user', '--username', '--password',
  '--certificate-authority', '--client-certificate', '--client-key', '--insecure-skip-tls-verify', '--tls-server-name', '--cache-dir', '--request-timeout', '--raw',
];

export interface KubectlRequest {
  verb: Exclude<KubectlVerb, 'api-resources'>;
  resource: KubectlResource;
  name?: string;
  /** The namespaces to read: one, or every allowed one for `-A` (never the whole cluster). Empty for cluster-scoped resources. */
  namespaces: string[];
  container?: string;
  tailLines: number;
  limitBytes: number;
}

/** The channel's configurations together, as Botkube merges them: any configuration that allows it, allows it. */
export function mergeConfigs(configs: readonly KubectlConfig[]) {
  const union = <T>(pick: (config: KubectlConfig) => readonly T[]) => [...new Set(configs.flatMap(pick))];
  return {
    verbs: union((c) => c.verbs),
    resources: union((c) => c.resources),
    namespaces: union((c) => c.namespaces),
    // Caps are limits: the tightest one bound to the channel holds.
    maxLogLines: Math.min(...configs.map((c) => c.maxLogLines)),
    maxLogBytes: Math.min(...configs.map((c) => c.maxLogBytes)),
  };
}

function resourceOf(word: string): KubectlResource | undefined {
  const lower = word.toLowerCase();
  return (Object.keys(KUBECTL_RESOURCES) as KubectlResource[]).find((name) => name === lower || (KUBECTL_RESOURCES[name].aliases as readonly string[]).includes(lower));
}

/** `kubectl api-resources`: the allowed resources, as the cluster's discovery serves them. */
export interface KubectlDiscoveryRequest {
  verb: 'api-resources';
  resources: KubectlResource[];
}

const USAGE = '`kubectl get|describe RESOURCE [NAME] [-n NS | -A]`, `kubectl logs POD [-c CONTAINER] [--tail N] [-n NS]`, `kubectl top pods|nodes [NAME] [-n NS | -A]` or `kubectl api-resources`';
/** What `kubectl top` reads: metrics.k8s.io serves these two only. */
const TOP_RESOURCES: readonly KubectlResource[] = ['pods', 'nodes'];

/** The typed words to a request within the allow-lists; anything else is an ExecutorRefusal that says what is allowed. */
export function parseKubectl(args: readonly string[], configs: readonly KubectlConfig[]): KubectlRequest | KubectlDiscoveryRequest {
  const allowed = mergeConfigs(configs);
  const positional: string[] = [];
  let namespace: string | undefined;
  let all = false;
  let container: string | undefined;
  let tail: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    const [flag = '', inline] = word.split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? args[++i];
      if (!v || v.startsWith('-')) throw new ExecutorRefusal(`Option \`${flag}\` needs a value.`);
      return v;
    };
    if (CONNECTION_FLAGS.includes(flag)) throw new ExecutorRefusal(`\`${flag}\` is refused: the cluster and the identity are the channel's (\`--cluster\` picks one of its clusters).`);
    if (!word.startsWith('-')) positional.push(word);
    else if (flag === '-n' || flag === '--namespace') namespace = value();
    else if (flag === '-A' || flag === '--all-namespaces') all = true;
    else if (flag === '-c' || flag === '--container') container = value();
    else if (flag === '--tail') {
      tail = Number(value());
      if (!Number.isInteger(tail) || tail < 1) throw new ExecutorRefusal('`--tail` takes a positive number of lines.');
    } else throw new ExecutorRefusal(`Unknown or refused option \`${flag}\`. Allowed: \`-n\`, \`-A\`, \`-c\`, \`--tail\`. Usage: ${USAGE}`);
  }
  const [verbWord = '', ...rest] = positional;
  const verb = (KUBECTL_VERBS as readonly string[]).includes(verbWord) ? (verbWord as KubectlVerb) : undefined;
  if (!verb || !allowed.verbs.includes(verb)) throw new ExecutorRefusal(`\`kubectl ${verbWord || '…'}\` is not allowed here. Allowed verbs: ${allowed.verbs.join(', ')}. Usage: ${USAGE}`);
  if (verb === 'api-resources') {
    if (rest.length || namespace !== undefined || all || container !== undefined || tail !== undefined) throw new ExecutorRefusal(`\`kubectl api-resources\` takes no arguments or options. Usage: ${USAGE}`);
    return { verb, resources: allowed.resources };
  }
  if ((container !== undefined || tail !== undefined) && verb !== 'logs') throw new ExecutorRefusal(`\`-c\` and \`--tail\` are options of \`kubectl logs\` only. Usage: ${USAGE}`);
  // `logs POD` reads pods; the others name their resource first.
  const [resourceWord, name, ...extra] = verb === 'logs' ? ['pods', ...rest] : rest;
  if (extra.length) throw new ExecutorRefusal(`Unexpected \`${extra[0] ?? ''}\`. Usage: ${USAGE}`);
  if (!resourceWord) throw new ExecutorRefusal(`Which resource? Allowed: ${allowed.resources.join(', ')}.`);
  const resource = resourceOf(resourceWord);
  if (!resource || !allowed.resources.includes(resource)) throw new ExecutorRefusal(`\`${resourceWord}\` is not a resource this channel may read. Allowed: ${allowed.resources.join(', ')}.`);
  if (verb === 'top' && !TOP_RESOURCES.includes(resource)) throw new ExecutorRefusal(`\`kubectl top\` reads ${TOP_RESOURCES.join(' or ')} only (metrics.k8s.io), not \`${resource}\`.`);
  if (name !== undefined && !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) throw new ExecutorRefusal(`\`${name}\` is not a Kubernetes object name.`);
  if ((verb === 'describe' || verb === 'logs') && !name) throw new ExecutorRefusal(`\`kubectl ${verb}\` needs a name. Usage: ${USAGE}`);
  const namespaces = !KUBECTL_RESOURCES[resource].namespaced ? [] : namespacesOf(allowed.namespaces, namespace, all && (verb === 'get' || verb === 'top') && !name);
  return { verb, resource, ...(name ? { name } : {}), namespaces, ...(container ? { container } : {}), tailLines: Math.min(tail ?? allowed.maxLogLines, allowed.maxLogLines), limitBytes: allowed.maxLogBytes };
}

function namespacesOf(allowed: string[], asked: string | undefined, all: boolean): string[] {
  if (all) return allowed;
  if (asked) {
    if (!allowed.includes(asked)) throw new ExecutorRefusal(`Namespace \`${asked}\` is not one this channel may read. Allowed: ${allowed.join(', ')}.`);
    return [asked];
  }
  const [only] = allowed;
  if (allowed.length === 1 && only) return [only];
  throw new ExecutorRefusal(`Which namespace? Add \`-n NS\` (or \`-A\` for all of them): ${allowed.join(', ')}.`);
}
