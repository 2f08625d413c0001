// `flux build kustomization NAME --path DIR [--kustomization-file F] [--dry-run]` for the stand-in (flux2
// cmd/flux/build_kustomization.go, internal/build/build.go): a small kustomize over the files it is given,
// then the Kustomization's postBuild substitutions and owner labels, printed as flux prints them
// (ssautil.ObjectsToYAML: each object's YAML, keys sorted, followed by `---`). What it does not do:
// components, patches, generators, namePrefix; see README.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ClusterError, checkCluster, loadConnection, recordRun, request, statusMessage } from './cluster.mjs';

/** A build error: flux returns a plain error, so it exits 1 with `✗ <message>`. */
export class BuildError extends Error {}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Not flux: a line `build-error <message>` here makes the build fail as kustomize would. */
export const BUILD_SCENARIO_FILE = 'fluxline-build';
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'StorageClass', 'PriorityClass', 'PersistentVolume']);

function isDirectory(path) {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function objectsOf(file) {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length > 0) throw new BuildError(`kustomize build failed: ${file}: ${doc.errors[0].message}`);
      return doc.toJS();
    })
    .filter((object) => object && typeof object === 'object' && object.kind && object.metadata?.name);
}

/** kustomize build: a kustomization.yaml's resources, or (flux generates one) every manifest under the folder. */
function collect(dir, seen = new Set()) {
  if (seen.has(dir)) return [];
  seen.add(dir);
  const file = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((path) => existsSync(path));
  if (file) {
    const kustomization = parse(readFileSync(file, 'utf8')) ?? {};
    return (kustomization.resources ?? []).flatMap((entry) => {
      const target = resolve(dir, entry);
      if (isDirectory(target)) return collect(target, seen);
      if (existsSync(target)) return objectsOf(target);
      throw new BuildError(`kustomize build failed: accumulating resources: '${target}' doesn't exist`);
    });
  }
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (isDirectory(path)) return collect(path, seen);
      return /\.ya?ml$/.test(name) ? objectsOf(path) : [];
    });
}

/**
 * fluxcd/pkg envsubst over the object's JSON: `${VAR}`, `${VAR:=default}`, `${VAR:-default}`; an unset
 * variable without default is empty (not strict). Values are JSON-escaped so a quote stays a quote.
 */
function substitute(json, vars) {
  return json.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[-=]([^}]*))?\}/g, (_, name, fallback) => JSON.stringify(String(vars[name] ?? fallback ?? '')).slice(1, -1));
}

/** The values of postBuild.substituteFrom, read from the cluster as kustomize-controller does (skipped in dry-run). */
async function substituteFromValues(connection, namespace, refs, timeoutMs) {
  const vars = {};
  for (const ref of refs) {
    const plural = ref.kind === 'Secret' ? 'secrets' : 'configmaps';
    const { status, body } = await request(connection, { path: `/api/v1/namespaces/${namespace}/${plural}/${ref.name}`, timeoutMs });
    if (status === 404 && ref.optional) continue;
    if (status < 200 || status >= 300) throw new ClusterError(`var substitution failed: substitute from '${ref.kind}/${ref.name}' failed: ${statusMessage(status, body)}`);
    const object = JSON.parse(body);
    for (const [key, value] of Object.entries(object.data ?? {})) vars[key] = ref.kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value;
  }
  return vars;
}

function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]));
  return value;
}

/**
 * Builds and prints the objects; returns the exit code. `flags` are argv's, `io` = { env, stdout, timeoutMs }.
 * In flux's order: name, --path, --dry-run needs --kustomization-file, the file, then (not dry-run) the
 * live Kustomization, which a --kustomization-file overrides but which must exist.
 */
export async function buildKustomization(name, flags, namespace, io) {
  if (name === undefined) throw new BuildError('Kustomization name is required');
  const path = flags.path ?? '';
  if (path === '' || !isDirectory(path)) throw new BuildError(`invalid resource path "${path}"`);
  const dryRun = flags['dry-run'] === true;
  const kustomizationFile = flags['kustomization-file'];
  if (dryRun && kustomizationFile === undefined) throw new BuildError('dry-run mode requires a kustomization file');
  if (kustomizationFile !== undefined && !statSync(kustomizationFile, { throwIfNoEntry: false })?.isFile()) throw new BuildError(`invalid kustomization file "${kustomizationFile}"`);

  let kustomization;
  let connection;
  if (kustomizationFile !== undefined) {
    kustomization = parseAllDocuments(readFileSync(kustomizationFile, 'utf8'))
      .map((doc) => doc.toJS())
      .find((object) => object?.kind === 'Kustomization' && object.metadata?.name === name);
    if (!kustomization) throw new BuildError(`failed to get kustomization object: failed to find kustomization ${name} in ${kustomizationFile}`);
  }
  if (!dryRun) {
    connection = loadConnection(io.env, flags);
    await checkCluster(connection, { namespace, name }, io.timeoutMs);
    if (!kustomization) {
      const { body } = await request(connection, { path: `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${namespace}/kustomizations/${name}`, timeoutMs: io.timeoutMs });
      kustomization = JSON.parse(body);
    }
    await recordRun(connection, { argv: io.argv, ...(kustomizationFile !== undefined ? { kustomizationFile: readFileSync(kustomizationFile, 'utf8') } : {}) }, io.timeoutMs);
  }

  const scenario = join(path, BUILD_SCENARIO_FILE);
  if (existsSync(scenario)) {
    const line = readFileSync(scenario, 'utf8').trim();
    if (line.startsWith('build-error')) throw new BuildError(`kustomize build failed: ${line.slice('build-error'.length).trim() || 'accumulating resources'}`);
  }

  const spec = kustomization.spec ?? {};
  const owner = { name: kustomization.metadata?.name ?? name, namespace: kustomization.metadata?.namespace ?? namespace };
  let vars;
  if (spec.postBuild) {
    const from = dryRun ? {} : await substituteFromValues(connection, owner.namespace, spec.postBuild.substituteFrom ?? [], io.timeoutMs);
    vars = { ...from, ...(spec.postBuild.substitute ?? {}) };
  }
  const objects = collect(resolve(path)).map((object) => {
    let built = JSON.parse(JSON.stringify(object));
    if (spec.targetNamespace && !CLUSTER_SCOPED.has(built.kind)) built.metadata.namespace = spec.targetNamespace;
    if (vars) built = JSON.parse(substitute(JSON.stringify(built), vars));
    built.metadata.labels = { ...(built.metadata.labels ?? {}), 'kustomize.toolkit.fluxcd.io/name': owner.name, 'kustomize.toolkit.fluxcd.io/namespace': owner.namespace };
    return built;
  });
  io.stdout(objects.map((object) => `${stringify(sorted(object), { indentSeq: false })}---\n`).join(''));
  return 0;
}
