// npm start: the whole of Fluxline on this machine, on embedded defaults, with one command.
//
//   DynamoDB Local (in memory)  +  serverless offline --stage local (handlers in-process)
//   + a local stand-in for the GitHub API when no GitHub App is configured
//   + a local stand-in for the Kubernetes API, and the stand-in flux, when the example config is in use
//     and its cluster's kubeconfig (~/.kube/config) does not exist
//
// Jobs run in the server process after the HTTP answer (no JOBS_QUEUE_URL); Slack messages are printed
// here when no SLACK_BOT_TOKEN is set. Ctrl-C stops everything this script started.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, relative } from 'node:path';
import { setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { tsImport } from 'tsx/esm/api';
import { freePort, startDynamoDbLocal } from './dynamodb-local.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverlessBin = join(root, 'node_modules', 'serverless', 'bin', 'serverless.js');
/** The stand-in flux CLI of the tests (test/fakes/flux/README.md): it replays recorded `flux diff` output. */
const standInFlux = join(root, 'test', 'fakes', 'flux', 'flux');
const log = (line = '') => console.log(`[start] ${line}`);
const warn = (line) => console.error(`[start] ${line}`);

/** The shell wins over .env, as with dotenv's defaults; nothing is written to process.env. */
function loadEnv() {
  const path = join(root, '.env');
  const fromFile = existsSync(path) ? dotenv.parse(readFileSync(path)) : {};
  return { ...fromFile, ...process.env };
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function onPath(command, env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * FLUX_BIN: the flux the worker runs. With the Kubernetes stand-in (`kubernetesStandIn`, from
 * startKubernetesStandIn), the stand-in flux: a real flux cannot diff against the fake API server.
 * Otherwise infra/layer/bin/flux where it can run (it is built for Lambda, linux/arm64), else `flux` from
 * PATH. FLUX_BIN, when set, always wins.
 */
function chooseFlux(env, kubernetesStandIn) {
  if (env.FLUX_BIN) {
    const caveat = kubernetesStandIn && env.FLUX_BIN !== standInFlux ? `; with the Kubernetes stand-in only ${relative(root, standInFlux)} can diff` : '';
    return { bin: env.FLUX_BIN, standIn: env.FLUX_BIN === standInFlux, note: `${env.FLUX_BIN} (FLUX_BIN${caveat})` };
  }
  const layerFlux = join(root, 'infra', 'layer', 'bin', 'flux');
  const real = existsSync(layerFlux) && process.platform === 'linux' && process.arch === 'arm64' ? layerFlux : onPath('flux', env);
  if (kubernetesStandIn) {
    const why = real ? `(${real} is a real flux: it cannot diff against the Kubernetes stand-in)` : '(real diffs need a real cluster, as above, and flux on PATH or FLUX_BIN)';
    return { bin: standInFlux, standIn: true, note: `stand-in ${relative(root, standInFlux)} (replays recorded flux output: "${kubernetesStandIn.scenario}" for the sample PRs)\n${why}` };
  }
  if (real === layerFlux) return { bin: layerFlux, note: 'infra/layer/bin/flux (the Lambda layer build)' };
  if (real) return { bin: 'flux', note: `flux on PATH (${real})` };
  return { bin: 'flux', note: 'flux on PATH: NOT FOUND, diffs will fail (install the flux CLI or set FLUX_BIN)' };
}

/** Applies the local-only secret defaults for the variables left unset; returns the names it set. */
function applyLocalSecrets(env, localSecrets) {
  const defaulted = [];
  for (const [name, value] of Object.entries(localSecrets)) {
    if (env[name]) continue;
    env[name] = value;
    defaulted.push(name);
  }
  return defaulted;
}

/**
 * The GitHub API stand-in (test/fakes/github.ts) for when no App is configured: a fresh App key pair,
 * the installation of acme/fleet, the PRs of events/*.json with their changed files, and a tarball of
 * every head SHA they mention, so `npm run send -- events/pull-request-opened.json` gets as far as a PR
 * notice, and a Flux diff click as far as a report. Each tarball holds the Kustomization path of the
 * Kubernetes stand-in with a `fluxline-scenario` line for the stand-in flux (test/fakes/tarball.ts).
 */
async function startGithubStandIn(env) {
  const fakes = await tsImport('../test/fakes/github.ts', import.meta.url);
  const { pullRequestTarball } = await tsImport('../test/fakes/tarball.ts', import.meta.url);
  const fleet = await tsImport('./lib/sample-fleet.ts', import.meta.url);
  const { privateKey, publicKey } = fakes.generateAppKeyPair();
  const github = await fakes.startFakeGithub({ appId: fleet.SAMPLE_APP_ID, publicKey });

  // The latest open state of each sample PR (by updated_at), so the stand-in answers with its current head.
  const latest = new Map();
  // Every head a sample event names, by the base repository (which serves its fork PRs' heads too).
  const heads = new Map();
  for (const file of readdirSync(join(root, 'events')).filter((f) => f.endsWith('.json')).sort()) {
    let payload;
    try {
      const event = JSON.parse(readFileSync(join(root, 'events', file), 'utf8'));
      if (event.rawPath !== '/github/webhook') continue;
      payload = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    } catch (err) {
      warn(`events/${file} skipped for the GitHub stand-in: ${err.message}`);
      continue;
    }
    const pr = payload.pull_request;
    const repository = payload.repository?.full_name;
    if (!pr || !repository) continue;
    if (payload.installation?.id) github.installations.set(repository, payload.installation.id);
    if (pr.head?.sha) heads.set(`${repository}@${pr.head.sha}`, { repository, sha: pr.head.sha });
    const key = `${repository}#${pr.number}`;
    const seen = latest.get(key);
    const rank = (p) => `${p.state === 'open' ? 1 : 0}${p.updated_at}`;
    if (!seen || rank(pr) > rank(seen.pr)) latest.set(key, { repository, pr });
  }
  for (const { repository, pr } of latest.values()) {
    github.addPullRequest({ payload: pr, repository, files: [...(fleet.SAMPLE_PULL_REQUEST_FILES[pr.number] ?? [])] });
  }
  for (const { repository, sha } of heads.values()) {
    github.setTarball(repository, sha, await pullRequestTarball(repository, sha, fleet.SAMPLE_SCENARIO, fleet.SAMPLE_KUSTOMIZATION.path));
  }

  env.GITHUB_APP_ID = fleet.SAMPLE_APP_ID;
  env.GITHUB_PRIVATE_KEY = privateKey;
  env.GITHUB_API_URL = github.url;
  return {
    name: 'GitHub',
    note: `local stand-in at ${github.url} (PRs ${[...latest.keys()].join(', ') || 'none'}, with their head tarballs)\n(set GITHUB_APP_ID, GITHUB_PRIVATE_KEY to use your real App)`,
    stop: () => github.stop(),
  };
}

/**
 * The Kubernetes API stand-in (test/fakes/kubernetes.ts), for a newcomer's first run only: the example
 * config is in use (no FLUXLINE_CONFIG, no config.yaml) and its `local` cluster's kubeconfig file
 * (~/.kube/config) does not exist. It serves the Kustomization the example config diffs and its
 * GitRepository (acme/fleet), over https with a fresh token. Its kubeconfig goes to
 * .cache/local/kubeconfig (mode 600) and FLUXLINE_CONFIG to .cache/local/config.yaml, a copy of
 * config.example.yaml whose `local` cluster reads that kubeconfig. Anything the user configured wins:
 * then nothing starts and nothing is written. Takes the child's environment to amend; returns
 * { name, note, config, scenario, stop } or undefined.
 */
async function startKubernetesStandIn(env) {
  if (env.FLUXLINE_CONFIG || existsSync(join(root, 'config.yaml'))) return undefined;
  const local = await tsImport('./lib/local-cluster.ts', import.meta.url);
  const fleet = await tsImport('./lib/sample-fleet.ts', import.meta.url);
  const exampleText = readFileSync(join(root, 'config.example.yaml'), 'utf8');
  const kubeconfig = local.localKubeconfig(exampleText);
  if (!kubeconfig || existsSync(kubeconfig.path)) return undefined;

  const fakes = await tsImport('../test/fakes/kubernetes.ts', import.meta.url);
  // https: client-go (a real kubectl or flux) sends no credentials over plain http.
  const kube = await fakes.startFakeKubernetes({ token: randomBytes(24).toString('base64url'), tls: true });
  for (const object of local.sampleClusterObjects()) kube.put(object);

  const dir = join(root, '.cache', 'local');
  const kubeconfigPath = join(dir, 'kubeconfig');
  const configPath = join(dir, 'config.yaml');
  const kubeconfigText = kube.kubeconfigYaml({ context: kubeconfig.context ?? 'fluxline-local-stand-in' });
  const configText = local.localConfigYaml(exampleText, kubeconfigPath);
  mkdirSync(dir, { recursive: true });
  writeFileSync(kubeconfigPath, kubeconfigText, { mode: 0o600 });
  chmodSync(kubeconfigPath, 0o600); // the mode above only applies to a new file
  writeFileSync(configPath, configText);
  env.FLUXLINE_CONFIG = configPath;

  const { namespace, name } = fleet.SAMPLE_KUSTOMIZATION;
  return {
    name: 'Kubernetes',
    note: `local stand-in at ${kube.url} (Kustomization ${namespace}/${name}; put a kubeconfig at ${kubeconfig.file} or write config.yaml to use a real cluster)`,
    config: `${relative(root, configPath)} (config.example.yaml with cluster ${local.LOCAL_CLUSTER} on the Kubernetes stand-in)`,
    scenario: fleet.SAMPLE_SCENARIO,
    async stop() {
      await kube.stop();
      // Its token is dead now; leave the files only if another run has rewritten them since.
      for (const [path, text] of [[kubeconfigPath, kubeconfigText], [configPath, configText]]) {
        if (existsSync(path) && readFileSync(path, 'utf8') === text) rmSync(path, { force: true });
      }
    },
  };
}

/** The routes serverless-offline prints, without its Lambda-invoke ones. */
function routesFrom(output) {
  const routes = [];
  for (const match of output.matchAll(/\b(GET|POST|PUT|PATCH|DELETE|ANY)\s*\|\s*(http:\/\/\S+)/g)) {
    if (!match[2].includes('/2015-03-31/functions/')) routes.push(`${match[1].padEnd(4)} ${match[2]}`);
  }
  return routes;
}

function printBanner({ routes, env, port, dynamoDbEndpoint, standIns, flux, defaultedSecrets }) {
  const config =
    standIns.find((s) => s.config)?.config ??
    (env.FLUXLINE_CONFIG
      ? `${env.FLUXLINE_CONFIG} (FLUXLINE_CONFIG)`
      : existsSync(join(root, 'config.yaml'))
        ? 'config.yaml'
        : 'config.example.yaml (no config.yaml yet: copy it to make it yours)');
  const row = (label, text) => text.split('\n').map((line, i) => `${(i === 0 ? label : '').padEnd(10)} ${line}`);
  const lines = [
    `Fluxline is running on http://localhost:${port}`,
    ...(routes.length ? routes : ['POST /github/webhook', 'POST /slack/commands', 'POST /slack/interactions', 'GET  /health']).map((r) => `  ${r}`),
    ...row('Config', config),
    ...row('DynamoDB', `${dynamoDbEndpoint} (DynamoDB Local in memory, table ${env.TABLE_NAME}: gone when you stop)`),
    ...row('Jobs', 'run in this process after each answer (no JOBS_QUEUE_URL)'),
    ...standIns.flatMap((s) => row(s.name, s.note)),
    ...row('Slack', env.SLACK_BOT_TOKEN ? `the real Web API${env.SLACK_API_URL ? ` at ${env.SLACK_API_URL}` : ''} (SLACK_BOT_TOKEN is set)` : 'messages print here (no SLACK_BOT_TOKEN)'),
    ...row('flux', flux.note),
    ...(defaultedSecrets.length ? row('Secrets', `LOCAL-ONLY defaults for ${defaultedSecrets.join(', ')}\n(known to anyone who reads this repository: never use them for a real app)`) : []),
    ...row('Try', 'npm run send -- events/pull-request-opened.json     (in another terminal: a PR notice)\nnpm run send -- events/slack-flux-diff-click.json   (then: its Flux diff button clicked)'),
    ...row('Stop', 'Ctrl-C'),
  ];
  const width = Math.min(100, Math.max(...lines.map((l) => l.length)) + 2);
  console.log(`\n${'─'.repeat(width)}\n${lines.map((l) => ` ${l}`).join('\n')}\n${'─'.repeat(width)}\n`);
}

async function main() {
  const env = loadEnv();
  const port = Number(env.PORT || 3000);
  if (!(await portIsFree(port))) {
    warn(`Port ${port} is taken (another npm start?). Stop it, or run on another port: PORT=${port + 1} npm start`);
    return 1;
  }

  /** What to stop, newest first; anything started once stopping has begun is stopped at once. */
  const stops = [];
  // Outside .esbuild, which `serverless package` deletes when it finishes (.cache/ is gitignored too).
  const workFolder = join('.cache', 'offline', String(port));
  let server;
  let dynamo;
  let stopping;
  const track = async (stop) => {
    if (stopping) await stop();
    else stops.unshift(stop);
  };

  async function stopServer() {
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    const signalGroup = (signal) => {
      try {
        process.kill(-server.pid, signal);
      } catch {
        // already gone
      }
    };
    signalGroup('SIGINT');
    const timer = setTimeout(() => {
      warn('serverless offline did not stop within 5 s: killing it');
      signalGroup('SIGKILL');
    }, 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(join(root, workFolder), { recursive: true, force: true });
  }

  function shutdown(reason) {
    stopping ??= (async () => {
      if (reason) log(`${reason}: stopping…`);
      await stopServer();
      for (const stop of stops) {
        try {
          await stop();
        } catch (err) {
          warn(`while stopping: ${err.message}`);
        }
      }
    })();
    return stopping;
  }

  // Last resort when this process dies abruptly: no orphaned java or serverless process.
  process.on('exit', () => {
    for (const pid of [server?.pid && -server.pid, dynamo?.pid]) {
      if (!pid) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (!stopping) return void shutdown(`${signal} received`);
      warn(`${signal} again: killing everything now`);
      process.exit(130);
    });
  }
  // `kill <npm pid>` stops npm and its `sh -c`, which does not pass the signal on: notice being orphaned.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !stopping) void shutdown('the parent process (npm) is gone');
  }, 1_000).unref();

  const { LOCAL_SECRETS } = await tsImport('./lib/signing.ts', import.meta.url);
  const defaultedSecrets = applyLocalSecrets(env, LOCAL_SECRETS);
  env.TABLE_NAME ||= 'fluxline';

  try {
    dynamo = await startDynamoDbLocal({ log });
  } catch (err) {
    warn(`DynamoDB Local could not start: ${err.message}`);
    warn('It needs Java 17 on PATH (Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17).');
    await shutdown();
    return 1;
  }
  await track(() => dynamo.stop());
  // The handlers never create their table (a cold start must not pay a round trip to check for it): it
  // is made here, as serverless.yml makes it in AWS.
  const { createStore, ensureTable } = await tsImport('../lib/store/index.ts', import.meta.url);
  await ensureTable(createStore({ tableName: env.TABLE_NAME, endpoint: dynamo.endpoint }).table);

  const standIns = [];
  let kubernetes;
  try {
    if (!env.GITHUB_APP_ID) {
      const github = await startGithubStandIn(env);
      await track(github.stop);
      standIns.push(github);
    } else {
      const key = env.GITHUB_PRIVATE_KEY || env.GITHUB_PRIVATE_KEY_PARAM ? '' : ' (GITHUB_PRIVATE_KEY is not set: GitHub calls will fail)';
      standIns.push({ name: 'GitHub', note: `App ${env.GITHUB_APP_ID} at ${env.GITHUB_API_URL || 'https://api.github.com'}${key}` });
    }
    kubernetes = await startKubernetesStandIn(env);
    if (kubernetes) {
      await track(kubernetes.stop);
      standIns.push(kubernetes);
    }
  } catch (err) {
    warn(`A local stand-in failed to start: ${err.stack ?? err.message}`);
    await shutdown();
    return 1;
  }
  if (stopping) return stopping.then(() => 0);

  const flux = chooseFlux(env, kubernetes);
  // The worker gives flux the server's PATH, and the stand-in flux starts with `#!/usr/bin/env node`.
  if (flux.standIn && !onPath('node', env)) env.PATH = [dirname(process.execPath), env.PATH].filter(Boolean).join(delimiter);
  const lambdaPort = await freePort();
  const childEnv = {
    ...env,
    PORT: String(port),
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    FLUX_BIN: flux.bin,
    // The in-process queue (serverless.yml's local stage also gives the handlers JOBS_QUEUE_URL='').
    JOBS_QUEUE_URL: '',
    // This run's own bundles (esbuild.config.cjs), so a second run on another port cannot delete them.
    FLUXLINE_ESBUILD_WORK_FOLDER: workFolder,
  };
  if (!env.FLUXLINE_CONFIG) log('FLUXLINE_CONFIG is unset: the functions read config.yaml, or config.example.yaml when there is none.');

  // Its own process group, so stopping it also stops what it started (esbuild), and a Ctrl-C reaches it
  // only through shutdown(), in order.
  server = spawn(process.execPath, [serverlessBin, 'offline', 'start', '--stage', 'local', '--httpPort', String(port), '--lambdaPort', String(lambdaPort)], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // serverless logs to stderr, the handlers' console to stdout: watch both for the moment it is ready.
  let startupOutput = '';
  let ready = false;
  const relay = (stream) => (chunk) => {
    stream.write(chunk);
    if (ready) return;
    startupOutput += chunk.toString();
    if (/Server ready/.test(startupOutput)) {
      ready = true;
      printBanner({ routes: routesFrom(startupOutput), env: childEnv, port, dynamoDbEndpoint: dynamo.endpoint, standIns, flux, defaultedSecrets });
    }
  };
  server.stdout.on('data', relay(process.stdout));
  server.stderr.on('data', relay(process.stderr));

  const code = await new Promise((resolve) => {
    server.once('error', (err) => {
      warn(`could not run serverless: ${err.message}`);
      resolve(1);
    });
    server.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  if (stopping) return stopping.then(() => 0);
  warn(`serverless offline exited${code ? ` with code ${code}` : ''}${ready ? '' : ' before it was ready (see its output above)'}; stopping the rest.`);
  await shutdown();
  return code || 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    warn(err.stack ?? err.message);
    process.exit(1);
  },
);
