import { loadConfig, settingsFrom, unsetExecutorSecrets, type Config, type Env, type Settings } from '../../lib/core/config';
import { preloadParameters, readParameter, readSecret } from '../../lib/adapters/secrets';
import type { GithubApp } from '../../lib/adapters/github';
import { logger } from '../../lib/core/log';
import { createSlack, type SlackPort } from '../../lib/adapters/slack';
import { jobQueueOn, type JobQueue } from '../../lib/flows/jobs';
import type { MessageQueue } from '../../lib/adapters/queue/message-queue';
import { createStore, type Store } from '../../lib/adapters/store';
import { githubAppFromEnv } from './github-app';


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
  /** The jobs queue: SQS in AWS; in-process (the worker in this process) when JOBS_QUEUE_URL is unset. */
  queue: JobQueue;
  /** A decrypted SSM parameter (kubeconfigs, config), cached for five minutes. */
  readParameter(name: string): Promise<string>;
}

export interface RuntimeWiring {
  /** Where jobs go; built by the composition root (functions/compose), which knows SQS from in-process. */
  jobs: MessageQueue;
}

export async function createRuntime(env: Env, wiring: RuntimeWiring): Promise<Runtime> {
  // Every SSM parameter this function's environment names (config, bot token, App id and key), in one call.
  await preloadParameters(env);
  // The App id scopes delivery ids (DELIVERY#<appId>#…); in AWS it is a parameter like the secrets.
  const settings: Settings = { ...settingsFrom(env), githubAppId: (await readSecret(env, 'GITHUB_APP_ID'))?.trim() || undefined };
  const readParameterOfEnv = (name: string) => readParameter(name, env);
  const config = await loadConfig({
    ...(settings.configLocation ? { location: settings.configLocation } : {}),
    readParameter: readParameterOfEnv,
    onFallback: (message) => logger.warn(message),
  });
  // Said at start-up rather than at the first run, where it would only be a failed answer in Slack. The name, never a value.
  for (const { executor, variable } of unsetExecutorSecrets(config, env)) {
    logger.warn('an HTTP executor’s shared secret variable is not set: its runs fail until it is', { executor, variable, fix: `set ${variable}, or give executors.${executor}.http.secret as ssm: /parameter/name` });
  }
  // The table exists before the first request: serverless.yml creates it in AWS; whatever starts a
  // DynamoDB Local (npm start, the tests' setup, the bench) creates it there with ensureTable.
  const store = createStore({
    tableName: settings.tableName,
    endpoint: settings.dynamoDbEndpoint,
    region: settings.region,
    ...(settings.dynamoDbRequestTimeoutMs ? { timeouts: { requestMs: settings.dynamoDbRequestTimeoutMs } } : {}),
  });
  const slackToken = await readSecret(env, 'SLACK_BOT_TOKEN');
  if (!slackToken) logger.info('SLACK_BOT_TOKEN is not set: Slack messages are printed to the console');
  const slack = createSlack({ token: slackToken, apiUrl: settings.slackApiUrl });

  let github: Promise<GithubApp> | undefined;
  const runtime: Runtime = {
    readParameter: readParameterOfEnv,
    queue: jobQueueOn(wiring.jobs),
    env,
    settings,
    config,
    store,
    slack,
    github: () => (github ??= githubAppFromEnv(env, settings)),
  };
  return runtime;
}
