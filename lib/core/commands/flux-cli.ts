import { CommandError } from './errors';
import { parseFlags } from './tokenize';
import { echo } from './echo';

/** The Flux kinds a Slack user can read or act on. */
export const FLUX_KINDS = ['Kustomization', 'HelmRelease', 'GitRepository', 'HelmRepository', 'OCIRepository'] as const;
export type FluxKind = (typeof FLUX_KINDS)[number];
/** Kinds `flux reconcile` accepts from Slack; `suspend`/`resume` take the first two only. */
export type ReconcilableKind = Extract<FluxKind, 'Kustomization' | 'HelmRelease' | 'GitRepository'>;
export type SuspendableKind = Extract<FluxKind, 'Kustomization' | 'HelmRelease'>;

interface Scope {
  /** A Fluxline cluster (config.yaml `clusters`), not flux's kubeconfig `--cluster`; never passed to flux. */
  cluster?: string;
}

/** A Flux CLI command a Slack user may run: parsed and typed, so argv is built from values, never from text. */
export type FluxCliCommand =
  | ({ verb: 'get'; kind: FluxKind; name?: string; namespace: string; allNamespaces: boolean; showSource: boolean } & Scope)
  | ({ verb: 'reconcile'; kind: ReconcilableKind; name: string; namespace: string; withSource: boolean } & Scope)
  | ({ verb: 'suspend' | 'resume'; kind: SuspendableKind; name: string; namespace: string } & Scope)
  | ({ verb: 'tree'; kind: 'Kustomization'; name: string; namespace: string } & Scope)
  | ({ verb: 'events'; for?: { kind: FluxKind; name?: string }; namespace: string; allNamespaces: boolean } & Scope);

export type MutatingFluxCliCommand = Extract<FluxCliCommand, { verb: 'reconcile' | 'suspend' | 'resume' }>;

export function isMutation(command: FluxCliCommand): command is MutatingFluxCliCommand {
  return command.verb === 'reconcile' || command.verb === 'suspend' || command.verb === 'resume';
}

/** What may be run, as the refusals list it. */
export const FLUX_CLI_GRAMMAR = [
  '/flux get kustomizations|helmreleases|sources git|sources helm|sources oci [NAME] [-n NS | -A] [--cluster C]',
  '/flux reconcile ks|hr|source git NAME [-n NS] [--with-source] [--cluster C]',
  '/flux suspend|resume ks|hr NAME [-n NS] [--cluster C]',
  '/flux tree ks NAME [-n NS] [--cluster C]',
  '/flux events [--for Kind/NAME] [-n NS | -A] [--cluster C]',
] as const;

const ALLOWED = `Allowed from Slack:\n${FLUX_CLI_GRAMMAR.map((form) => `• \`${form}\``).join('\n')}`;

/**
 * flux verbs that exist but change what is installed or defined on the cluster; Slack is not where that
 * happens (GitOps: through a PR). Named so the refusal says why rather than "unknown command".
 */
export const REFUSED_FLUX_VERBS = ['install', 'uninstall', 'bootstrap', 'delete', 'create', 'export', 'build', 'push', 'pull', 'tag', 'check', 'logs', 'trace', 'stats', 'debug', 'envsubst', 'migrate', 'alpha', 'completion', 'version'] as const;

/**
 * Flags that would point flux at other credentials or another API server (DESIGN §5, as Botkube refuses
 * them), and `--watch`, which never ends. Refused by name with the reason, before any other check.
 */
const CONNECTION_FLAGS = new Set(['--kubeconfig', '--context', '--server', '-s', '--as', '--as-group', '--as-uid', '--certificate-authority', '--client-certificate', '--client-key', '--insecure-skip-tls-verify', '--tls-server-name', '--token', '--user', '--cache-dir', '--kube-api-qps', '--kube-api-burst']);
const WATCH_FLAGS = new Set(['-w', '--watch']);

export const DNS1123_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const DNS1123_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** config.yaml's cluster grammar (lowercase words); `toString` or `__proto__` can never name a cluster. */
export const CLUSTER_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const DEFAULT_NAMESPACE = 'flux-system';

export function refuseFluxVerb(verb: string): CommandError {
  return new CommandError(`\`/flux ${verb}\` is not allowed from Slack: it changes what Flux installs or manages, which belongs in a pull request to the GitOps repository (or is not useful in chat). ${ALLOWED}`);
}

function refuse(problem: string): never {
  throw new CommandError(`${problem}\n${ALLOWED}`);
}

function kubernetesName(value: string, what: string): string {
  if (!DNS1123_SUBDOMAIN.test(value)) refuse(`${echo(value)} is not a valid ${what} (lowercase letters, digits, \`-\` and \`.\`).`);
  return value;
}

function namespaceName(value: string): string {
  if (!DNS1123_LABEL.test(value)) refuse(`${echo(value)} is not a valid namespace (lowercase letters, digits and \`-\`, at most 63).`);
  return value;
}

function checkFlagsAllowed(words: string[]): void {
  for (const word of words) {
    const flag = word.split('=', 1)[0] ?? '';
    if (CONNECTION_FLAGS.has(flag)) refuse(`${echo(flag)} is refused: it would point flux at other credentials or another API server. Fluxline runs flux with the cluster access of this channel only; pick the cluster with \`--cluster\`.`);
    if (WATCH_FLAGS.has(flag)) refuse(`${echo(flag)} is refused: a watch never ends, and a command from Slack must answer once.`);
  }
}

const KIND_WORDS: Record<string, SuspendableKind> = {
  ks: 'Kustomization',
  kustomization: 'Kustomization',
  kustomizations: 'Kustomization',
  hr: 'HelmRelease',
  helmrelease: 'HelmRelease',
  helmreleases: 'HelmRelease',
};
const SOURCE_WORDS: Record<string, Extract<FluxKind, 'GitRepository' | 'HelmRepository' | 'OCIRepository'>> = { git: 'GitRepository', helm: 'HelmRepository', oci: 'OCIRepository' };

/** A typed word looked up in a table: own keys only, so `constructor` or `toString` is no kind. */
function wordOf<T>(table: Readonly<Record<string, T>>, word: string): T | undefined {
  return Object.hasOwn(table, word) ? table[word] : undefined;
}

/**
 * `namespace/name` or `name`, whole: `a/b/c` is refused, not read as `a/b` (split with a limit would
 * drop the rest silently). The parts are checked against the Kubernetes grammar by the caller.
 */
export function splitQualifiedName(raw: string): { namespace?: string; name: string } {
  const parts = raw.split('/');
  if (parts.length > 2) throw new CommandError(`${echo(raw)} is not a valid name: write \`NAME\` or \`NAMESPACE/NAME\`, one \`/\` at most.`);
  const [first = '', second] = parts;
  return second === undefined ? { name: first } : { namespace: first, name: second };
}

/** Reads `ks|hr|sources git|…` off the front of the words; returns the kind and the words left. */
function readKind(words: string[], usage: string): { kind: FluxKind; rest: string[] } {
  const [rawFirst = '', ...afterFirst] = words;
  const first = rawFirst.startsWith('-') ? '' : rawFirst.toLowerCase();
  const direct = wordOf(KIND_WORDS, first);
  if (direct) return { kind: direct, rest: afterFirst };
  if (first === 'source' || first === 'sources') {
    const [second = '', ...rest] = afterFirst;
    const source = wordOf(SOURCE_WORDS, second.toLowerCase());
    if (source) return { kind: source, rest };
    refuse(`${echo(`${first} ${second}`)} is not a source kind Fluxline reads: \`sources git\`, \`sources helm\` or \`sources oci\`. Usage: \`${usage}\``);
  }
  refuse(first ? `${echo(first)} is not a kind Fluxline runs this on. Usage: \`${usage}\`` : `What kind? Usage: \`${usage}\``);
}

interface Options {
  positional: string[];
  namespace: string;
  allNamespaces: boolean;
  cluster?: string;
  booleans: Set<string>;
  forSelector?: string;
}

function readOptions(words: string[], spec: { allNamespaces?: boolean; booleans?: string[]; withFor?: boolean }): Options {
  const valued: Record<string, string> = { '-n': 'namespace', '--namespace': 'namespace', '--cluster': 'cluster', ...(spec.withFor ? { '--for': 'for' } : {}) };
  const boolean = [...(spec.allNamespaces ? ['-A', '--all-namespaces'] : []), ...(spec.booleans ?? [])];
  const { positional, flags } = parseFlags(words, { valued, boolean });
  const allNamespaces = flags.has('-A') || flags.has('--all-namespaces');
  const namespace = flags.get('namespace');
  if (allNamespaces && typeof namespace === 'string') refuse('`-n` and `-A` ask for one namespace and for all of them: give one of the two.');
  const cluster = flags.get('cluster');
  const forSelector = flags.get('for');
  return {
    positional,
    namespace: namespaceName(typeof namespace === 'string' ? namespace : DEFAULT_NAMESPACE),
    allNamespaces,
    ...(typeof cluster === 'string' ? { cluster: CLUSTER_NAME.test(cluster) ? cluster : refuse(`${echo(cluster)} is not a valid cluster name.`) } : {}),
    booleans: new Set(boolean.filter((name) => flags.has(name))),
    ...(typeof forSelector === 'string' ? { forSelector } : {}),
  };
}

/** `NAME`, or `namespace/name` as a shorthand for `NAME -n namespace` (as /flux diff accepts it). */
function nameAndNamespace(positional: string[], options: Options, what: string, usage: string, required: boolean): { name?: string; namespace: string } {
  if (positional.length > 1) refuse(`Unexpected ${echo(positional[1] ?? '')}: one ${what} name at most. Usage: \`${usage}\``);
  const [raw] = positional;
  if (raw === undefined) {
    if (required) refuse(`Which ${what}? Usage: \`${usage}\``);
    return { namespace: options.namespace };
  }
  let parts;
  try {
    parts = splitQualifiedName(raw);
  } catch (err) {
    refuse((err as Error).message);
  }
  const { namespace, name } = parts;
  return { name: kubernetesName(name, `${what} name`), namespace: namespace === undefined ? options.namespace : namespaceName(namespace) };
}

const scope = (options: Options) => (options.cluster ? { cluster: options.cluster } : {});

function parseGet(words: string[]): FluxCliCommand {
  const usage = FLUX_CLI_GRAMMAR[0];
  const { kind, rest } = readKind(words, usage);
  const showSource = kind === 'Kustomization' || kind === 'HelmRelease';
  const options = readOptions(rest, { allNamespaces: true, booleans: showSource ? ['--show-source'] : [] });
  const { name, namespace } = nameAndNamespace(options.positional, options, kind, usage, false);
  return { verb: 'get', kind, ...(name ? { name } : {}), namespace, allNamespaces: options.allNamespaces, showSource: options.booleans.has('--show-source'), ...scope(options) };
}

function parseReconcile(words: string[]): FluxCliCommand {
  const usage = FLUX_CLI_GRAMMAR[1];
  const { kind, rest } = readKind(words, usage);
  if (kind !== 'Kustomization' && kind !== 'HelmRelease' && kind !== 'GitRepository') refuse(`\`/flux reconcile\` takes \`ks\`, \`hr\` or \`source git\`. Usage: \`${usage}\``);
  const options = readOptions(rest, { booleans: kind === 'GitRepository' ? [] : ['--with-source'] });
  const { name = '', namespace } = nameAndNamespace(options.positional, options, kind, usage, true);
  return { verb: 'reconcile', kind, name, namespace, withSource: options.booleans.has('--with-source'), ...scope(options) };
}

function parseSuspendResume(verb: 'suspend' | 'resume', words: string[]): FluxCliCommand {
  const usage = FLUX_CLI_GRAMMAR[2];
  const { kind, rest } = readKind(words, usage);
  if (kind !== 'Kustomization' && kind !== 'HelmRelease') refuse(`\`/flux ${verb}\` takes \`ks\` or \`hr\`. Usage: \`${usage}\``);
  const options = readOptions(rest, {});
  const { name = '', namespace } = nameAndNamespace(options.positional, options, kind, usage, true);
  return { verb, kind, name, namespace, ...scope(options) };
}

function parseTree(words: string[]): FluxCliCommand {
  const usage = FLUX_CLI_GRAMMAR[3];
  const { kind, rest } = readKind(words, usage);
  if (kind !== 'Kustomization') refuse(`\`/flux tree\` takes \`ks\` only. Usage: \`${usage}\``);
  const options = readOptions(rest, {});
  const { name = '', namespace } = nameAndNamespace(options.positional, options, kind, usage, true);
  return { verb: 'tree', kind, name, namespace, ...scope(options) };
}

function parseForSelector(selector: string): { kind: FluxKind; name?: string } {
  const [rawKind = '', name, ...extra] = selector.split('/');
  const kind = FLUX_KINDS.find((k) => k.toLowerCase() === rawKind.toLowerCase()) ?? wordOf(KIND_WORDS, rawKind.toLowerCase());
  if (!kind || extra.length > 0) refuse(`\`--for ${selector}\` must be \`Kind/NAME\` or \`Kind\`, Kind one of ${FLUX_KINDS.join(', ')}.`);
  return { kind, ...(name !== undefined ? { name: kubernetesName(name, `${kind} name`) } : {}) };
}

function parseEvents(words: string[]): FluxCliCommand {
  const usage = FLUX_CLI_GRAMMAR[4];
  const options = readOptions(words, { allNamespaces: true, withFor: true });
  if (options.positional.length > 0) refuse(`Unexpected ${echo(options.positional[0] ?? '')}. Usage: \`${usage}\``);
  return {
    verb: 'events',
    ...(options.forSelector !== undefined ? { for: parseForSelector(options.forSelector) } : {}),
    namespace: options.namespace,
    allNamespaces: options.allNamespaces,
    ...scope(options),
  };
}

/**
 * The words after `/flux <verb>` to a typed command, or a refusal that lists what is allowed. `text` is
 * the raw command line: a newline in it means more than one command was pasted, and none is run.
 */
export function parseFluxCli(verb: string, words: string[], text: string): FluxCliCommand {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\r\n\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) refuse('One command per message: line breaks and control characters are refused.');
  checkFlagsAllowed(words);
  switch (verb) {
    case 'get':
      return parseGet(words);
    case 'reconcile':
      return parseReconcile(words);
    case 'suspend':
    case 'resume':
      return parseSuspendResume(verb, words);
    case 'tree':
      return parseTree(words);
    case 'events':
      return parseEvents(words);
    default:
      throw refuseFluxVerb(verb);
  }
}
