// The day-2 commands of the stand-in: get, reconcile, suspend, resume, tree and events, against the
// API server of the kubeconfig (the fake Kubernetes in tests). They read and PATCH real objects there,
// print what flux prints (cmd/flux/get*.go, reconcile*.go, suspend.go, resume.go, tree_kustomization.go,
// events.go; logger lines `► ✔ ◎ ✗` go to stderr, tables to stdout) and exit as flux does.
import { ClusterError, loadConnection, request, statusMessage } from './cluster.mjs';
import { UsageError } from './argv.mjs';

export const COMMANDS = new Set(['get', 'reconcile', 'suspend', 'resume', 'tree', 'events']);

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The Flux kinds the stand-in serves, with their API and how flux names them. */
const KINDS = {
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations', human: 'kustomization' },
  HelmRelease: { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases', human: 'helmrelease' },
  GitRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories', human: 'source git' },
  HelmRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'helmrepositories', human: 'source helm' },
  OCIRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'ocirepositories', human: 'source oci' },
};

const ALIASES = {
  kustomizations: 'Kustomization',
  kustomization: 'Kustomization',
  ks: 'Kustomization',
  helmreleases: 'HelmRelease',
  helmrelease: 'HelmRelease',
  hr: 'HelmRelease',
};
const SOURCE_ALIASES = { git: 'GitRepository', helm: 'HelmRepository', oci: 'OCIRepository' };

/** `ks`, `hr` or `source(s) git|helm|oci` at the front of `words`: the kind and the words after it. */
function kindOf(verb, words, { sources }) {
  const [first, second, ...rest] = words;
  if (first === undefined) return undefined;
  if (ALIASES[first]) return { kind: ALIASES[first], rest: [second, ...rest].filter((w) => w !== undefined) };
  if ((first === 'source' || first === 'sources') && sources) {
    if (SOURCE_ALIASES[second]) return { kind: SOURCE_ALIASES[second], rest };
    throw new UsageError(`unknown command "${second ?? ''}" for "flux ${verb} ${first}"`);
  }
  throw new UsageError(`unknown command "${first}" for "flux ${verb}"`);
}

const path = (kind, namespace, name) => {
  const { group, version, plural } = KINDS[kind];
  return `/apis/${group}/${version}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
};

/** controller-runtime's NotFound wording, which flux prints as is. */
const notFound = (kind, name) => `${KINDS[kind].plural}.${KINDS[kind].group} "${name}" not found`;

async function call(ctx, options) {
  const { status, body } = await request(ctx.connection, { timeoutMs: ctx.timeoutMs, ...options });
  if (status === 404 && options.kind) throw new ClusterError(notFound(options.kind, options.name));
  if (status < 200 || status >= 300) throw new ClusterError(statusMessage(status, body));
  return JSON.parse(body);
}

/** flux2 internal/utils.TruncateHex: digests cut to 8 hex characters. */
function truncateHex(text) {
  return String(text ?? '').replace(/\b(sha1|sha256|sha384|sha512):([a-f0-9]{8})[a-f0-9]+/g, '$1:$2').replace(/\b([a-f0-9]{8})[a-f0-9]{32,}\b/g, '$1');
}

function ready(object) {
  const condition = (object.status?.conditions ?? []).find((c) => c.type === 'Ready');
  return condition ? [condition.status, condition.message ?? ''] : ['False', 'waiting to be reconciled'];
}

const title = (value) => (value ? 'True' : 'False');

/** flux2 pkg/printers/table_printer.go: tablewriter, no borders, tab padding, cells padded to the column, each line ending in a tab. */
function printTable(header, rows) {
  const all = header ? [header.map((h) => h.toUpperCase()), ...rows] : rows;
  const widths = all[0].map((_, i) => Math.max(...all.map((row) => String(row[i] ?? '').length)));
  return all.map((row) => `${row.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('\t')}\t\n`).join('');
}

function sourceOf(kind, object) {
  const ref = kind === 'Kustomization' ? object.spec?.sourceRef : (object.spec?.chart?.spec?.sourceRef ?? object.spec?.chartRef);
  return ref ? `${ref.kind}/${ref.namespace ?? object.metadata.namespace}/${ref.name}` : '';
}

function summarise(kind, object, showSource) {
  const [status, message] = ready(object);
  const revision =
    kind === 'Kustomization' ? object.status?.lastAppliedRevision : kind === 'HelmRelease' ? object.status?.lastAttemptedRevision : object.status?.artifact?.revision;
  const row = [object.metadata.name, ...(showSource ? [sourceOf(kind, object)] : []), truncateHex(revision ?? ''), title(object.spec?.suspend), status, truncateHex(message)];
  return row;
}

function namespaceOf(flags) {
  const namespace = flags.namespace ?? 'flux-system';
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) throw new UsageError(`namespace must be a valid DNS label: "${namespace}"`);
  return namespace;
}

async function get(ctx, words, flags) {
  const found = kindOf('get', words, { sources: true });
  if (!found) {
    ctx.stdout('The get sub-commands print the statuses of Flux resources.\n\nUsage:\n  flux get [command]\n');
    return 0;
  }
  const { kind, rest } = found;
  if (flags['show-source'] && kind !== 'Kustomization' && kind !== 'HelmRelease') throw new UsageError('unknown flag: --show-source');
  const namespace = namespaceOf(flags);
  const all = flags['all-namespaces'] === true;
  const [name] = rest;
  const list = await call(ctx, { path: path(kind, all ? undefined : namespace) });
  const items = (list.items ?? []).filter((item) => name === undefined || item.metadata.name === name);
  const where = all ? 'any' : `"${namespace}"`;
  // flux ≥ 2.6 returns these as errors: exit 1.
  if (items.length === 0) throw new ClusterError(name === undefined ? `no ${kind} objects found in ${where} namespace` : `${kind} object '${name}' not found in ${where} namespace`);
  const showSource = flags['show-source'] === true;
  const header = [...(all ? ['Namespace'] : []), 'Name', ...(showSource ? ['Source'] : []), 'Revision', 'Suspended', 'Ready', 'Message'];
  const rows = items.map((item) => [...(all ? [item.metadata.namespace] : []), ...summarise(kind, item, showSource)]);
  ctx.stdout(printTable(flags['no-header'] ? undefined : header, rows));
  return 0;
}

function requireName(kind, name) {
  if (name === undefined) throw new UsageError(`${kind} name is required`);
  return name;
}

/** time.Now().Format(time.RFC3339Nano), which flux writes into the annotation. */
const requestedAt = () => new Date().toISOString();

async function annotate(ctx, kind, namespace, name) {
  ctx.stderr(`► annotating ${kind} ${name} in ${namespace} namespace\n`);
  await call(ctx, { method: 'PATCH', path: path(kind, namespace, name), kind, name, body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': requestedAt() } } } });
  ctx.stderr(`✔ ${kind} annotated\n`);
  ctx.stderr(`◎ waiting for ${kind} reconciliation\n`);
}

async function reconcile(ctx, words, flags) {
  const found = kindOf('reconcile', words, { sources: true });
  if (!found) throw new UsageError('flux reconcile needs a kind');
  const { kind, rest } = found;
  const name = requireName(kind, rest[0]);
  const namespace = namespaceOf(flags);
  const object = await call(ctx, { path: path(kind, namespace, name), kind, name });
  if (object.spec?.suspend) throw new ClusterError('resource is suspended');
  if (flags['with-source']) {
    const ref = kind === 'Kustomization' ? object.spec?.sourceRef : object.spec?.chart?.spec?.sourceRef;
    if (ref && KINDS[ref.kind]) {
      const sourceNamespace = ref.namespace ?? namespace;
      await annotate(ctx, ref.kind, sourceNamespace, ref.name);
      const source = await call(ctx, { path: path(ref.kind, sourceNamespace, ref.name), kind: ref.kind, name: ref.name });
      ctx.stderr(`✔ fetched revision ${source.status?.artifact?.revision ?? ''}\n`);
    }
  }
  await annotate(ctx, kind, namespace, name);
  const revision = kind === 'Kustomization' ? object.status?.lastAppliedRevision : kind === 'HelmRelease' ? object.status?.lastAttemptedRevision : object.status?.artifact?.revision;
  ctx.stderr(`✔ ${kind === 'Kustomization' || kind === 'HelmRelease' ? 'applied' : 'fetched'} revision ${revision ?? ''}\n`);
  return 0;
}

async function suspendOrResume(ctx, verb, words, flags) {
  const found = kindOf(verb, words, { sources: false });
  if (!found) throw new UsageError(`flux ${verb} needs a kind`);
  const { kind, rest } = found;
  const name = requireName(kind, rest[0]);
  const namespace = namespaceOf(flags);
  const object = await call(ctx, { path: path(kind, namespace, name), kind, name });
  const human = KINDS[kind].human;
  ctx.stderr(`► ${verb === 'suspend' ? 'suspending' : 'resuming'} ${human} ${name} in ${namespace} namespace\n`);
  // controller-runtime's MergeFrom: `suspend: false` is omitted from the object, so resuming removes the field.
  await call(ctx, { method: 'PATCH', path: path(kind, namespace, name), kind, name, body: { spec: { suspend: verb === 'suspend' ? true : null } } });
  ctx.stderr(`✔ ${human} ${verb === 'suspend' ? 'suspended' : 'resumed'}\n`);
  if (verb === 'resume' && flags.wait !== false) {
    ctx.stderr(`◎ waiting for ${kind} reconciliation\n✔ ${kind} reconciliation completed\n`);
    ctx.stderr(`✔ applied revision ${(kind === 'Kustomization' ? object.status?.lastAppliedRevision : object.status?.lastAttemptedRevision) ?? ''}\n`);
  }
  return 0;
}

/** status.inventory.entries ids: `<namespace>_<name>_<group>_<Kind>` (namespace empty for cluster-scoped objects). */
function inventory(object) {
  return (object.status?.inventory?.entries ?? []).map((entry) => {
    const [namespace, name, group, kind] = String(entry.id).split('_');
    return { namespace, name, group, kind };
  });
}

async function tree(ctx, words, flags) {
  const found = kindOf('tree', words, { sources: false });
  if (!found || found.kind !== 'Kustomization') throw new UsageError(`unknown command "${words[0] ?? ''}" for "flux tree"`);
  const name = requireName('Kustomization', found.rest[0]);
  const namespace = namespaceOf(flags);
  const root = await call(ctx, { path: path('Kustomization', namespace, name), kind: 'Kustomization', name });
  const lines = [`Kustomization/${namespace}/${name}`];
  const walk = async (object, prefix, depth) => {
    const entries = inventory(object);
    for (const [i, entry] of entries.entries()) {
      const last = i === entries.length - 1;
      lines.push(`${prefix}${last ? '└── ' : '├── '}${entry.kind}/${entry.namespace ? `${entry.namespace}/` : ''}${entry.name}`);
      if (entry.kind === 'Kustomization' && entry.group === KINDS.Kustomization.group && depth < 10) {
        const child = await call(ctx, { path: path('Kustomization', entry.namespace, entry.name), kind: 'Kustomization', name: entry.name });
        await walk(child, `${prefix}${last ? '    ' : '│   '}`, depth + 1);
      }
    }
  };
  await walk(root, '', 0);
  ctx.stdout(`${lines.join('\n')}\n\n`);
  return 0;
}

/** k8s.io/apimachinery duration.HumanDuration, as kubectl and flux print an event's age. */
function humanDuration(ms) {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

async function events(ctx, words, flags) {
  if (words.length > 0) throw new UsageError(`unknown command "${words[0]}" for "flux events"`);
  const namespace = namespaceOf(flags);
  const all = flags['all-namespaces'] === true;
  const wanted = [];
  if (flags.for !== undefined) {
    const [rawKind, name] = String(flags.for).split('/');
    const kind = Object.keys(KINDS).find((k) => k.toLowerCase() === String(rawKind).toLowerCase());
    if (!kind) throw new UsageError(`'${rawKind}' is not a recognized Flux kind`);
    wanted.push({ kind, name, namespace });
    if (name !== undefined) {
      const object = await call(ctx, { path: path(kind, namespace, name), kind, name });
      const ref = kind === 'Kustomization' ? object.spec?.sourceRef : kind === 'HelmRelease' ? object.spec?.chart?.spec?.sourceRef : undefined;
      if (ref) wanted.push({ kind: ref.kind, name: ref.name, namespace: ref.namespace ?? namespace });
    }
  }
  const list = await call(ctx, { path: all ? '/api/v1/events' : '/api/v1/namespaces/' + namespace + '/events' });
  const fluxKinds = new Set(Object.keys(KINDS));
  const items = (list.items ?? [])
    .filter((e) => fluxKinds.has(e.involvedObject?.kind))
    .filter((e) => wanted.length === 0 || wanted.some((w) => w.kind === e.involvedObject.kind && (w.name === undefined || w.name === e.involvedObject.name)))
    .sort((a, b) => Date.parse(a.lastTimestamp ?? a.eventTime ?? 0) - Date.parse(b.lastTimestamp ?? b.eventTime ?? 0));
  if (items.length === 0) {
    ctx.stderr(all ? '✗ No events found.\n' : `✗ No events found in ${namespace} namespace.\n`);
    return 0;
  }
  const showNamespace = all || items.some((e) => e.metadata.namespace !== namespace);
  const header = [...(showNamespace ? ['Namespace'] : []), 'Last seen', 'Type', 'Reason', 'Object', 'Message'];
  const now = Date.now();
  const rows = items.map((e) => [...(showNamespace ? [e.metadata.namespace] : []), humanDuration(now - Date.parse(e.lastTimestamp ?? e.eventTime)), e.type, e.reason, `${e.involvedObject.kind}/${e.involvedObject.name}`, e.message]);
  ctx.stdout(printTable(header, rows));
  return 0;
}

/** Runs `flux <command> …` once the global flags are parsed; io = { env, stdout, stderr, timeoutMs }. */
export async function runCommand(positionals, flags, io) {
  const [command, ...words] = positionals;
  const connection = loadConnection(io.env, flags);
  const ctx = { ...io, connection };
  switch (command) {
    case 'get':
      return get(ctx, words, flags);
    case 'reconcile':
      return reconcile(ctx, words, flags);
    case 'suspend':
    case 'resume':
      return suspendOrResume(ctx, command, words, flags);
    case 'tree':
      return tree(ctx, words, flags);
    case 'events':
      return events(ctx, words, flags);
    default:
      throw new UsageError(`unknown command "${command}" for "flux"`);
  }
}
