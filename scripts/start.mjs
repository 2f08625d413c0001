// npm start: the whole of Fluxline on this machine, on embedded defaults, with one command.
//
//   DynamoDB Local (in memory)  +  serverless offline --stage local (handlers in-process)
//   + a local stand-in for the GitHub API when no GitHub App is configured
//   + a local stand-in for the Slack Web API when no SLACK_BOT_TOKEN is set (its messages print here)
//   + a local stand-in for the Kubernetes API, and the stand-in flux, when the example config is in use
//     and its cluster's kubeconfig (~/.kube/config) does not exist
//   + with SLACK_APP_TOKEN, Socket Mode to the real workspace; with WEBHOOK_PROXY_URL, a smee.io channel
//     of the real GitHub App (scripts/connect/), both into the local routes
//
// The parts live in scripts/start/, one concern each. Queues are in-process (no *_QUEUE_URL).
// The stand-ins' URLs go to .cache/start/<port>.json, for `npm run outage`. Ctrl-C stops everything
// this script started.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { setInterval } from 'node:timers';
import { tsImport } from 'tsx/esm/api';
import { freePort, startDynamoDbLocal } from './dynamodb-local.mjs';
import { printBanner, routesFrom } from './start/banner.mjs';
import { connectRealApps } from './start/real-apps.mjs';
import { log, root, warn } from './start/common.mjs';
import { applyLocalSecrets, loadEnv, onPath, portIsFree } from './start/env.mjs';
import { chooseFlux } from './start/flux.mjs';
import { startGithubStandIn } from './start/github-stand-in.mjs';
import { startKubernetesStandIn } from './start/kubernetes-stand-in.mjs';
import { startSlackStandIn } from './start/slack-stand-in.mjs';
import { writeStandInsFile } from './start/stand-ins-file.mjs';

const serverlessBin = join(root, 'node_modules', 'serverless', 'bin', 'serverless.js');

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
  const { createStore, ensureTable } = await tsImport('../lib/adapters/store/index.ts', import.meta.url);
  await ensureTable(createStore({ tableName: env.TABLE_NAME, endpoint: dynamo.endpoint }).table);

  const standIns = [];
  // Socket Mode talks to the real Slack even when the Web API calls go to the stand-in.
  const slackApiUrl = env.SLACK_API_URL;
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
    if (!env.SLACK_BOT_TOKEN) {
      const slack = await startSlackStandIn(env);
      await track(slack.stop);
      standIns.push(slack);
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
  if (standIns.some((s) => s.faultsUrl)) {
    const remove = writeStandInsFile(port, standIns);
    await track(() => Promise.resolve(remove()));
  }

  const flux = chooseFlux(env, kubernetes);
  // The worker gives flux the server's PATH, and the stand-in flux starts with `#!/usr/bin/env node`.
  if (flux.standIn && !onPath('node', env)) env.PATH = [dirname(process.execPath), env.PATH].filter(Boolean).join(delimiter);
  const lambdaPort = await freePort();
  const childEnv = {
    ...env,
    PORT: String(port),
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    FLUX_BIN: flux.bin,
    // The in-process queues (serverless.yml's local stage also gives the handlers JOBS_QUEUE_URL='').
    JOBS_QUEUE_URL: '',
    GITHUB_DELIVERIES_QUEUE_URL: '',
    SLACK_REQUESTS_QUEUE_URL: '',
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
      void connectRealApps({ env: childEnv, port, track, slackApiUrl });
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
