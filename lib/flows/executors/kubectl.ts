import { stringify } from 'yaml';
import { listObjects, readObject, readPodLog, type ClusterConnection } from '../../adapters/kube';
import { KUBECTL_RESOURCES, kubectlSpec, message, type Executor, type ExecutorBlock, type KubectlConfig } from '../../core/executors';
import { mergeConfigs, parseKubectl, type KubectlRequest } from './kubectl-args';
import { objectTable } from './kubectl-table';
import { apiResourcesBlocks, topTable } from './kubectl-discovery';

/** Slack shows at most 100 options in a select menu. */
const MAX_OPTIONS = 100;

const kindOf = (request: KubectlRequest) => {
  const resource = KUBECTL_RESOURCES[request.resource];
  return { apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version, kind: resource.kind };
};

function describeLine(request: KubectlRequest, cluster: string): string {
  const where = request.namespaces.length === 1 ? ` -n ${request.namespaces[0] ?? ''}` : request.namespaces.length > 1 ? ' -A' : '';
  return `kubectl ${request.verb} ${request.verb === 'logs' ? '' : `${request.resource} `}${request.name ?? ''}${where}`.replace(/\s+/g, ' ').trim() + ` on ${cluster}`;
}

/** A menu of the table's rows, each running `describe` (and `logs` for pods) when the channel may. */
function rowMenu(request: KubectlRequest, rows: { name: string; namespace?: string }[], configs: readonly KubectlConfig[]): ExecutorBlock[] {
  const verbs = mergeConfigs(configs).verbs;
  const follow = request.resource === 'pods' && verbs.includes('logs') ? 'logs' : verbs.includes('describe') ? 'describe' : undefined;
  if (!follow || rows.length === 0) return [];
  const options = rows
    .map((row) => {
      const ns = row.namespace ? ` -n ${row.namespace}` : '';
      const command = follow === 'logs' ? `kubectl logs ${row.name}${ns}` : `kubectl describe ${request.resource} ${row.name}${ns}`;
      return { label: `${follow} ${row.namespace ? `${row.namespace}/` : ''}${row.name}`.slice(0, 75), command };
    })
    .filter((option) => option.command.length <= 100)
    .slice(0, MAX_OPTIONS);
  return options.length ? [{ type: 'select', placeholder: follow === 'logs' ? 'Logs of…' : 'Describe…', options }] : [];
}

/** describe as YAML, without the fields no reader wants in chat. */
function describeText(object: Record<string, unknown>): string {
  const copy = structuredClone(object);
  const metadata = copy.metadata as Record<string, unknown> | undefined;
  if (metadata) {
    delete metadata.managedFields;
    const annotations = metadata.annotations as Record<string, unknown> | undefined;
    if (annotations) delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  }
  return stringify(copy, { lineWidth: 0 });
}

/**
 * Read-only kubectl through @kubernetes/client-node (no binary, no shell), with the channel's cluster
 * access and identity; everything it may read is bounded by the allow-lists of its configurations.
 */
export const kubectlExecutor: Executor<KubectlConfig, ClusterConnection> = {
  ...kubectlSpec,
  async execute({ args, configs, cluster }) {
    if (!cluster) throw new Error('kubectl needs the cluster access: the dispatcher did not provide it');
    const request = parseKubectl(args, configs);
    if (request.verb === 'api-resources') return message({ type: 'section', text: `kubectl api-resources on ${cluster.cluster}` }, ...(await apiResourcesBlocks(cluster, request)));
    const head: ExecutorBlock = { type: 'section', text: describeLine(request, cluster.cluster) };
    if (request.verb === 'top') {
      const table = await topTable(cluster, request);
      if (table.rows.length === 0) return message(head, { type: 'text', text: `No metrics for ${request.name ? `${request.resource} ${request.name}` : request.resource} yet.` });
      return message(head, { type: 'table', header: table.header, rows: table.rows }, ...rowMenu(request, table.usage, configs));
    }
    const kind = kindOf(request);
    if (request.verb === 'logs') {
      const namespace = request.namespaces[0] ?? '';
      const log = await readPodLog(cluster, { namespace, pod: request.name ?? '', ...(request.container ? { container: request.container } : {}) }, request);
      return message(head, { type: 'code', text: log.text || '(no log lines)' }, ...(log.truncated ? [{ type: 'text' as const, text: `Showing at most the last ${request.tailLines} lines and ${request.limitBytes} bytes.` }] : []));
    }
    if (request.verb === 'describe') {
      const object = await readObject(cluster, kind, request.name ?? '', request.namespaces[0]);
      return message(head, { type: 'code', text: describeText(object) });
    }
    const scopes = request.namespaces.length ? request.namespaces : [undefined];
    const objects = request.name
      ? [await readObject(cluster, kind, request.name, scopes[0])]
      : (await Promise.all(scopes.map((namespace) => listObjects(cluster, kind, namespace)))).flat();
    if (objects.length === 0) return message(head, { type: 'text', text: `No ${request.resource} found.` });
    // The message schema takes 1,000 rows; Slack shows far fewer anyway (the renderer cuts and says so).
    const table = objectTable(request.resource, objects.slice(0, 1_000), scopes.length > 1);
    const rows = objects.map((object) => ({ name: object.metadata.name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) }));
    return message(head, { type: 'table', ...table }, ...rowMenu(request, rows, configs));
  },
};
