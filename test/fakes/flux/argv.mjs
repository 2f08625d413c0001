// Command-line parsing the way flux's cobra/pflag does it, for the subset the stand-in implements:
// `flux [global flags] diff kustomization|ks NAME [flags]`. Error texts are pflag's and cobra's own,
// because flux (cmd/flux/main.go: SilenceErrors, SilenceUsage) prints them verbatim as `✗ <error>`.

/** Global flags of flux (cmd/flux/main.go: --timeout, --verbose, the kubeconfig flags of cli-runtime and the client options). */
const ROOT_FLAGS = {
  namespace: { short: 'n', type: 'string' },
  timeout: { type: 'duration' },
  verbose: { type: 'bool' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  cluster: { type: 'string' },
  user: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  as: { type: 'string' },
  'as-group': { type: 'string' },
  'as-uid': { type: 'string' },
  'certificate-authority': { type: 'string' },
  'client-certificate': { type: 'string' },
  'client-key': { type: 'string' },
  'insecure-skip-tls-verify': { type: 'bool' },
  'tls-server-name': { type: 'string' },
  'cache-dir': { type: 'string' },
  'disable-compression': { type: 'bool' },
  'kube-api-qps': { type: 'string' },
  'kube-api-burst': { type: 'string' },
  help: { short: 'h', type: 'bool' },
};

/** Flags of `flux diff kustomization` (cmd/flux/diff_kustomization.go). */
const DIFF_KS_FLAGS = {
  path: { type: 'string' },
  'progress-bar': { type: 'bool', default: true },
  'kustomization-file': { type: 'string' },
  'ignore-paths': { type: 'string' },
  recursive: { short: 'r', type: 'bool' },
  'local-sources': { type: 'string' },
  'ignore-not-found': { type: 'bool' },
  'in-memory-build': { type: 'bool' },
  'strict-substitute': { type: 'bool' },
};

/** Flags of `flux build kustomization` (cmd/flux/build_kustomization.go). */
const BUILD_KS_FLAGS = {
  path: { type: 'string' },
  'kustomization-file': { type: 'string' },
  'ignore-paths': { type: 'string' },
  'dry-run': { type: 'bool' },
  'strict-substitute': { type: 'bool' },
  recursive: { short: 'r', type: 'bool' },
  'local-sources': { type: 'string' },
  'in-memory-build': { type: 'bool' },
};

/** Flags of the other commands the stand-in implements (cmd/flux/get.go, reconcile*.go, suspend.go, resume.go, tree_kustomization.go, events.go). */
const GET_FLAGS = {
  'all-namespaces': { short: 'A', type: 'bool' },
  'no-header': { type: 'bool' },
  'status-selector': { type: 'string' },
  watch: { short: 'w', type: 'bool' },
  'show-source': { type: 'bool' },
};
const RECONCILE_FLAGS = { 'with-source': { type: 'bool' }, force: { type: 'bool' }, reset: { type: 'bool' } };
const SUSPEND_FLAGS = { all: { type: 'bool' } };
const RESUME_FLAGS = { all: { type: 'bool' }, wait: { type: 'bool' } };
const TREE_FLAGS = { compact: { type: 'bool' }, output: { short: 'o', type: 'string' } };
const VERSION_FLAGS = { client: { type: 'bool' }, output: { short: 'o', type: 'string' } };
const EVENTS_FLAGS = { 'all-namespaces': { short: 'A', type: 'bool' }, watch: { short: 'w', type: 'bool' }, for: { type: 'string' }, types: { type: 'string' } };

/** The flags each command accepts besides the global ones; pflag refuses the others as unknown. */
export const COMMAND_FLAGS = { version: VERSION_FLAGS, diff: DIFF_KS_FLAGS, build: BUILD_KS_FLAGS, get: GET_FLAGS, reconcile: RECONCILE_FLAGS, suspend: SUSPEND_FLAGS, resume: RESUME_FLAGS, tree: TREE_FLAGS, events: EVENTS_FLAGS };

const FLAGS = { ...ROOT_FLAGS, ...VERSION_FLAGS, ...DIFF_KS_FLAGS, ...BUILD_KS_FLAGS, ...GET_FLAGS, ...RECONCILE_FLAGS, ...SUSPEND_FLAGS, ...RESUME_FLAGS, ...TREE_FLAGS, ...EVENTS_FLAGS };
const SHORTHANDS = Object.fromEntries(Object.entries(FLAGS).filter(([, spec]) => spec.short).map(([name, spec]) => [spec.short, name]));

/** A usage error: flux exits 1 and prints it as `✗ <message>`. */
export class UsageError extends Error {}

// Go's strconv.ParseBool.
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go's time.ParseDuration, for the units a person would pass to --timeout. */
export function parseDuration(text) {
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (text === '0') return 0;
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new Error(`time: invalid duration "${text}"`);
  return parts.reduce((total, [, value, u]) => total + Number(value) * unit[u], 0);
}

function setFlag(flags, name, value, spelled) {
  const spec = FLAGS[name];
  if (spec.type === 'bool') {
    if (TRUE.has(value)) flags[name] = true;
    else if (FALSE.has(value)) flags[name] = false;
    else throw new UsageError(`invalid argument "${value}" for "${spelled}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`);
  } else if (spec.type === 'duration') {
    try {
      flags[name] = parseDuration(value);
    } catch (error) {
      throw new UsageError(`invalid argument "${value}" for "${spelled}" flag: ${error.message}`);
    }
  } else {
    flags[name] = value;
  }
}

/**
 * Splits argv into positionals and flags with pflag's rules: `--flag=value`, `--flag value`,
 * `-n value`, `-nvalue`, `-n=value`, booleans without a value, `--` ends the flags; flags may come
 * anywhere (interspersed).
 */
export function parseArgv(argv) {
  const flags = Object.fromEntries(Object.entries(FLAGS).filter(([, spec]) => 'default' in spec).map(([name, spec]) => [name, spec.default]));
  const positionals = [];
  /** Each flag as the user spelled it, so a flag the command does not take can be refused in pflag's words. */
  const given = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, ...rest] = arg.slice(2).split('=');
      const inline = rest.length > 0 ? rest.join('=') : undefined;
      const spec = FLAGS[name];
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      given.push({ name, spelled: `--${name}` });
      if (inline !== undefined) setFlag(flags, name, inline, `--${name}`);
      else if (spec.type === 'bool') flags[name] = true;
      else if (i + 1 < argv.length) setFlag(flags, name, argv[++i], `--${name}`);
      else throw new UsageError(`flag needs an argument: --${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1];
      const name = SHORTHANDS[short];
      if (!name) throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
      given.push({ name, spelled: `-${short}`, arg });
      const attached = arg.slice(2).replace(/^=/, '');
      if (FLAGS[name].type === 'bool') setFlag(flags, name, attached === '' ? 'true' : attached, `-${short}`);
      else if (attached !== '') setFlag(flags, name, attached, `-${short}`);
      else if (i + 1 < argv.length) setFlag(flags, name, argv[++i], `-${short}`);
      else throw new UsageError(`flag needs an argument: '${short}' in -${short}`);
      continue;
    }
    positionals.push(arg);
  }
  return { flags, positionals, given };
}

/** Refuses, as pflag would, a flag that exists elsewhere in flux but not on this command. */
export function checkFlagsOf(command, given) {
  const own = COMMAND_FLAGS[command] ?? {};
  for (const flag of given) {
    if (flag.name in ROOT_FLAGS || flag.name in own) continue;
    if (flag.arg !== undefined) throw new UsageError(`unknown shorthand flag: '${flag.spelled.slice(1)}' in ${flag.arg}`);
    throw new UsageError(`unknown flag: ${flag.spelled}`);
  }
}
