// Entry of the stand-in `flux` executable (see README.md): honours the argument and exit-code contract
// of `flux diff kustomization` (flux2 cmd/flux/main.go, cmd/flux/diff_kustomization.go).
import { readFileSync, statSync } from 'node:fs';
import process from 'node:process';
import { checkFlagsOf, parseArgv, UsageError } from './argv.mjs';
import { BuildError, buildKustomization } from './build.mjs';
import { COMMANDS, runCommand } from './commands.mjs';
import { checkCluster, ClusterError, loadConnection, recordRun } from './cluster.mjs';
import { readScenario, runScenario } from './scenarios.mjs';

const DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** What `flux version --client` prints for the stand-in. */
const STAND_IN_VERSION = 'v2.9.0-stand-in';
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const write = (stream) => (text) => stream.write(text);
const out = write(process.stdout);
const err = write(process.stderr);

/** An error flux reports as `✗ <message>` and exits with `code` (1 = cobra/usage, 2 = RequestError). */
class Exit extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function isDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function main(argv, env) {
  let parsed;
  try {
    parsed = parseArgv(argv);
  } catch (error) {
    if (error instanceof UsageError) throw new Exit(1, error.message);
    throw error;
  }
  const { flags, positionals, given } = parsed;
  const [command, subcommand, name] = positionals;
  if (flags.help || command === undefined) {
    out('Command line utility for assembling Kubernetes CD pipelines the GitOps way.\n\nUsage:\n  flux [command]\n');
    return 0;
  }
  try {
    checkFlagsOf(command, given);
  } catch (error) {
    if (error instanceof UsageError) throw new Exit(1, error.message);
    throw error;
  }
  // cmd/flux/version.go: `flux version --client` prints the CLI's version without asking the cluster.
  if (command === 'version' && flags.client) {
    out(`flux: ${STAND_IN_VERSION}\n`);
    return 0;
  }
  if (COMMANDS.has(command)) {
    try {
      return await runCommand(positionals, flags, { env, stdout: out, stderr: err, timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS });
    } catch (error) {
      // Every error of these commands is a plain error in flux: `✗ <message>`, exit 1.
      if (error instanceof ClusterError || error instanceof UsageError) throw new Exit(1, error.message);
      throw error;
    }
  }
  if (command === 'build') return build(subcommand, name, flags, { env, argv });
  if (command !== 'diff') throw new Exit(1, `unknown command "${command}" for "flux"`);
  if (subcommand === undefined) {
    out('The diff sub-commands show changes between two states.\n\nUsage:\n  flux diff [command]\n');
    return 0;
  }
  if (subcommand !== 'kustomization' && subcommand !== 'ks') throw new Exit(1, `unknown command "${subcommand}" for "flux diff"`);

  // cmd/flux/main.go PersistentPreRunE, before the command runs.
  const namespace = flags.namespace ?? 'flux-system';
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) throw new Exit(1, `namespace must be a valid DNS label: "${namespace}"`);

  // cmd/flux/diff_kustomization.go diffKsCmdRun, in its order.
  if (name === undefined) throw new Exit(1, 'Kustomization name is required');
  const path = flags.path ?? '';
  if (path === '' || !isDirectory(path)) throw new Exit(2, `invalid resource path "${path}"`);
  const kustomizationFile = flags['kustomization-file'];
  if (kustomizationFile !== undefined && !statSync(kustomizationFile, { throwIfNoEntry: false })?.isFile()) {
    throw new Exit(1, `invalid kustomization file "${kustomizationFile}"`);
  }

  // internal/build/build.go NewBuilder: assuming a Kustomization the cluster lacks needs its file.
  const ignoreNotFound = flags['ignore-not-found'] === true;
  if (ignoreNotFound && kustomizationFile === undefined) throw new Exit(2, 'kustomization file is required when assuming new kustomizations');

  // Stand-in guard: flux keeps its kube cache under $HOME/.kube; the worker must give it a home in /tmp.
  if (!env.HOME || !isDirectory(env.HOME)) throw new Exit(2, `HOME is not set to a directory ("${env.HOME ?? ''}"): flux needs one for its kube cache`);

  try {
    const connection = loadConnection(env, flags);
    await checkCluster(connection, { namespace, name }, flags.timeout ?? DEFAULT_TIMEOUT_MS, { ignoreNotFound });
    // For the tests (the fake Kubernetes keeps it): what this run was given, as flux would have read it.
    await recordRun(connection, { argv, ...(kustomizationFile !== undefined ? { kustomizationFile: readFileSync(kustomizationFile, 'utf8') } : {}) }, flags.timeout ?? DEFAULT_TIMEOUT_MS);
  } catch (error) {
    if (error instanceof ClusterError) throw new Exit(2, error.message);
    throw error;
  }

  const progress = () => {
    err(`► building Kustomization/${namespace}/${name} from ${path}\n`);
    err(`► running server-side dry-run of Kustomization/${namespace}/${name}\n`);
  };
  return runScenario(readScenario(path), { stdout: out, stderr: err, env, progress }, path);
}

/** `flux build kustomization|ks` (build.mjs): every error is a plain one in flux, `✗ <message>` and exit 1. */
async function build(subcommand, name, flags, { env, argv }) {
  if (subcommand === undefined) {
    out('The build command is used to build flux resources.\n\nUsage:\n  flux build [command]\n');
    return 0;
  }
  if (subcommand !== 'kustomization' && subcommand !== 'ks') throw new Exit(1, `unknown command "${subcommand}" for "flux build"`);
  const namespace = flags.namespace ?? 'flux-system';
  if (!DNS1123_LABEL.test(namespace) || namespace.length > 63) throw new Exit(1, `namespace must be a valid DNS label: "${namespace}"`);
  try {
    return await buildKustomization(name, flags, namespace, { env, argv, stdout: out, timeoutMs: flags.timeout ?? DEFAULT_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof BuildError || error instanceof ClusterError) throw new Exit(1, error.message);
    throw error;
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error) => {
    if (error instanceof Exit) {
      err(`✗ ${error.message}\n`);
      process.exitCode = error.code;
      return;
    }
    err(`✗ stand-in flux crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 3;
  },
);
