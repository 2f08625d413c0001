import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { WebClient } from '@slack/web-api';
import { awsOptionsFromEnv, fetchParameters, regionFromEnv } from '../../lib/adapters/aws';
import { readParameter, readSecret } from '../../lib/adapters/secrets';
import { loadConfig, settingsFrom, type Config, type Env } from '../../lib/core/config';
import { checkReadiness } from '../../lib/flows/readiness';
import type { SetupIo } from '../setup/io';
import { checkClusters, checkFluxLayer, checkSlackChannels } from './wiring-checks';

const USAGE = 'Usage: npm run doctor -- [--stage S] [--url https://<api>]';

/** What a deployed stage reads (serverless.yml: the `*Param` params), as the functions' `<NAME>_PARAM` variables. */
function stageEnv(env: Env, stage: string): Env {
  const p = `/fluxline/${stage}`;
  const { GITHUB_APP_ID: _a, GITHUB_PRIVATE_KEY: _k, GITHUB_WEBHOOK_SECRET: _w, SLACK_BOT_TOKEN: _t, SLACK_SIGNING_SECRET: _s, FLUX_WEBHOOK_TOKEN: _f, ...rest } = env;
  return {
    ...rest,
    FLUXLINE_CONFIG: `ssm:${p}/config`,
    GITHUB_APP_ID_PARAM: `${p}/github-app-id`,
    GITHUB_PRIVATE_KEY_PARAM: `${p}/github-private-key`,
    GITHUB_WEBHOOK_SECRET_PARAM: `${p}/github-webhook-secret`,
    SLACK_BOT_TOKEN_PARAM: `${p}/slack-bot-token`,
    SLACK_SIGNING_SECRET_PARAM: `${p}/slack-signing-secret`,
    FLUX_WEBHOOK_TOKEN_PARAM: `${p}/flux-webhook-token`,
  };
}

/** What `npm start` runs with: .env under the shell (scripts/start/env.mjs). */
function localEnv(io: SetupIo): Env {
  const path = join(io.cwd, '.env');
  return { ...(existsSync(path) ? dotenv.parse(readFileSync(path)) : {}), ...io.env };
}

const SECRETS = ['GITHUB_APP_ID', 'GITHUB_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] as const;

/**
 * `npm run doctor`: checks a deployment's wiring and says what to fix, one line per problem. Reads what the
 * functions read (the stage's SSM parameters with --stage, else this environment and .env), then asks
 * Slack who the token is and whether the bot is in each channel, GitHub whether the App is installed on
 * each repository config.yaml names, each cluster whether it answers with the Flux APIs, and (--stage)
 * Lambda whether the worker has the flux layer.
 */
export async function runDoctor(args: string[], io: SetupIo): Promise<number> {
  const { values } = parseArgs({ args, options: { stage: { type: 'string' }, url: { type: 'string' } }, strict: true });
  if (values.stage && !/^[a-zA-Z0-9-]+$/.test(values.stage)) {
    io.err(`--stage ${JSON.stringify(values.stage)} is not a serverless stage name.\n${USAGE}\n`);
    return 2;
  }
  const env = values.stage ? stageEnv(io.env, values.stage) : localEnv(io);
  const problems: string[] = [];
  const ok = (line: string) => io.out(`✓ ${line}\n`);
  const problem = (line: string) => {
    problems.push(line);
    io.out(`✗ ${line}\n`);
  };

  // 1. Secrets present (without decrypting them) and config.yaml valid: the deep health check's own code.
  if (values.stage) {
    const parameters = Object.entries(env).filter(([name]) => name.endsWith('_PARAM')).map(([, value]) => value ?? '');
    const report = await checkReadiness({
      region: regionFromEnv(env),
      parameters,
      configLocation: env.FLUXLINE_CONFIG,
      missingOf: async (names) => (await fetchParameters(awsOptionsFromEnv(env, 'ssm'), names, { decrypt: false })).missing,
      readParameter: (name) => readParameter(name, env),
    });
    if (report.status === 'ok') ok(`parameters of stage ${values.stage} present, config.yaml valid (${report.checked.length} checked)`);
    for (const line of report.problems) problem(line);
  } else {
    for (const name of SECRETS) if (!env[name]) problem(`${name} is not set: put it in .env (npm run setup -- github writes the GitHub ones; README "Connecting the real GitHub App and Slack app")`);
  }
  let config: Config | undefined;
  try {
    config = await loadConfig({ ...(env.FLUXLINE_CONFIG ? { location: env.FLUXLINE_CONFIG } : {}), cwd: io.cwd, readParameter: (name) => readParameter(name, env) });
    if (!values.stage) ok('config.yaml valid');
  } catch (err) {
    if (!values.stage) problem((err as Error).message.split('\n')[0] ?? 'config.yaml does not load');
  }
  const settings = settingsFrom(env);

  // 2. Slack: the token works, and for which workspace; the bot is in each channel config.yaml names.
  const token = await readSecret(env, 'SLACK_BOT_TOKEN').catch(() => undefined);
  if (token) {
    const client = new WebClient(token, { slackApiUrl: settings.slackApiUrl, retryConfig: { retries: 0 } });
    try {
      const who = await client.auth.test();
      ok(`Slack: the bot token is ${who.user ?? '?'} in ${who.team ?? '?'}`);
      if (config) await checkSlackChannels(client, config, { ok, problem });
    } catch (err) {
      problem(`Slack auth.test failed (${(err as { data?: { error?: string } }).data?.error ?? (err as Error).message}): store the Bot User OAuth Token (xoxb-…) of the installed app as SLACK_BOT_TOKEN`);
    }
  }

  // 3. GitHub: the App's installation reaches each repository config.yaml names.
  const appId = (await readSecret(env, 'GITHUB_APP_ID').catch(() => undefined))?.trim();
  const privateKey = await readSecret(env, 'GITHUB_PRIVATE_KEY').catch(() => undefined);
  if (appId && privateKey && config) {
    const github = new Octokit({ authStrategy: createAppAuth, auth: { appId, privateKey: privateKey.replace(/\\n/g, '\n') }, baseUrl: settings.githubApiUrl, userAgent: 'fluxline-doctor' });
    const repositories = [...new Set([...config.repositories.map((r) => r.name), ...(config.gitops ? [config.gitops.repository] : [])])].filter((name) => !name.includes('*'));
    for (const repository of repositories) {
      const [owner = '', repo = ''] = repository.split('/');
      try {
        await github.request('GET /repos/{owner}/{repo}/installation', { owner, repo });
        ok(`GitHub: the App is installed on ${repository}`);
      } catch (err) {
        const status = (err as { status?: number }).status;
        problem(status === 404 ? `GitHub: the App is not installed on ${repository}: install it (the App's page → Install App) and select ${repository}` : `GitHub: could not check ${repository} (${status ? `HTTP ${status}` : (err as Error).message}): check GITHUB_APP_ID and GITHUB_PRIVATE_KEY`);
      }
    }
  }

  // 4. Each cluster answers and serves the Flux APIs; the deployed worker has the flux layer.
  if (config) await checkClusters(config, (name) => readParameter(name, env), { ok, problem });
  if (values.stage) await checkFluxLayer(env, values.stage, { ok, problem });

  // 5. The deployment itself: its deep health check.
  if (values.url) {
    try {
      const response = await fetch(`${values.url.replace(/\/+$/, '')}/health?deep=1`, { signal: AbortSignal.timeout(10_000) });
      const body = (await response.json()) as { status?: string; problems?: string[] };
      if (response.ok) ok(`${values.url}/health?deep=1 answers ok`);
      else for (const line of body.problems ?? [`HTTP ${response.status}`]) problem(`health: ${line}`);
    } catch (err) {
      problem(`${values.url}/health?deep=1 did not answer (${(err as Error).message}): check --url (npm run urls)`);
    }
  }

  io.out(problems.length === 0 ? 'All checks passed.\n' : `${problems.length} problem(s) to fix.\n`);
  return problems.length === 0 ? 0 : 1;
}
