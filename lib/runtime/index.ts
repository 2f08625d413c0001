import { loadConfig, readParameter, readSecret, settingsFrom, type Config, type Env, type Settings } from '../config';
import type { GithubApp } from '../github';
import { logger } from '../log';
import { createSlack, type SlackPort } from '../slack';
import { queueFromEnv, type JobQueue } from '../jobs';
import { createStore, type Store } from '../store';
import { githubAppFromEnv } from './github-app';

export { redeliveryDepsFor } from './redelivery-deps';

/**
 * Build-time switch, set by esbuild `define` (esbuild.config.cjs): false in the AWS bundles, where jobs
 * always go through SQS, so the dynamic import of the worker below is dead code and the worker, the
 * Kubernetes client, the EKS client and tar stay out of the ingress bundles (~3 MB). True for
 * `npm start` (serverless offline) and `serverless invoke local`; undefined when the sources run as they
 * are (vitest, tsx), which means true.
 */
declare const __FLUXLINE_IN_PROCESS_JOBS__: boolean | undefined;

/**
 * What every function needs, built once per Lambda container from the environment. The environment is
 * an argument (as in probot's createProbot) so tests build runtimes pointed at the fakes without
 * touching process.env.
 */
export interface Runtime {
  env: Env;
  settings: Settings;
  config: Config;
  store: Store;
  slack: SlackPort;
  /** Built on first use: a ping or an ignored event needs no GitHub credentials. */
  github(): Promise<GithubApp>;
  /** SQS in AWS; in-process (running the worker in this process) when JOBS_QUEUE_URL is unset. */
  queue: JobQueue;
  /** A decrypted SSM parameter (kubeconfigs, config), cached for five minutes. */
  readParameter(name: string): Promise<string>;
}

export async function createRuntime(env: Env): Promise<Runtime> {
  const settings = settingsFrom(env);
  const config = await loadConfig({
    ...(settings.configLocation ? { location: settings.configLocation } : {}),
    readParameter,
    onFallback: (message) => logger.warn(message),
  });
  // The table exists before the first request: serverless.yml creates it in AWS; whatever starts a
  // DynamoDB Local (npm start, the tests' setup, the bench) creates it there with ensureTable.
  const store = createStore({ tableName: settings.tableName, endpoint: settings.dynamoDbEndpoint, region: settings.region });
  const slackToken = await readSecret(env, 'SLACK_BOT_TOKEN');
  if (!slackToken) logger.info('SLACK_BOT_TOKEN is not set: Slack messages are printed to the console');
  const slack = createSlack({ token: slackToken, apiUrl: settings.slackApiUrl });

  let github: Promise<GithubApp> | undefined;
  const runtime: Runtime = {
    readParameter,
    // The in-process queue runs jobs here, after the ack: that is what `npm start` and the tests use.
    queue: queueFromEnv(env, async (jobId) => {
      // An if/else, not an early throw: esbuild drops the import only from a branch it knows is dead.
      if (typeof __FLUXLINE_IN_PROCESS_JOBS__ === 'undefined' || __FLUXLINE_IN_PROCESS_JOBS__) {
        const { processJob } = await import('../worker');
        await processJob(runtime, jobId);
      } else {
        throw new Error('this bundle cannot run jobs in-process (it is built for AWS): set JOBS_QUEUE_URL');
      }
    }),
    env,
    settings,
    config,
    store,
    slack,
    github: () => (github ??= githubAppFromEnv(env, settings)),
  };
  return runtime;
}

const runtimes = new Map<Env, Promise<Runtime>>();

/** The container's runtime, created on first use; a failed creation is retried by the next invocation. */
export function runtimeFor(env: Env = process.env): Promise<Runtime> {
  let runtime = runtimes.get(env);
  if (!runtime) {
    runtime = createRuntime(env);
    runtimes.set(env, runtime);
    runtime.catch(() => runtimes.delete(env));
  }
  return runtime;
}
