import { chmod, readFile, writeFile } from 'node:fs/promises';
import { awsJsonRequest, awsOptionsFromEnv } from '../../lib/adapters/aws';

/** What the manifest conversion hands over once: the App's id and the two secrets Fluxline runs on. */
export interface GithubAppCredentials {
  appId: string;
  privateKey: string;
  webhookSecret: string;
}

/** The SSM parameters of a stage, as serverless.yml names them (githubAppIdParam, …) and README "Deploying" step 5 lists them. */
export function githubParameterNames(stage: string): { appId: string; privateKey: string; webhookSecret: string } {
  const prefix = `/fluxline/${stage}`;
  return { appId: `${prefix}/github-app-id`, privateKey: `${prefix}/github-private-key`, webhookSecret: `${prefix}/github-webhook-secret` };
}

/** Stores the App in the stage's SSM parameters: the id as a String, the key and the secret as SecureStrings. */
export async function storeInSsm(env: Record<string, string | undefined>, stage: string, app: GithubAppCredentials): Promise<string[]> {
  const names = githubParameterNames(stage);
  const options = awsOptionsFromEnv(env, 'ssm');
  const put = (name: string, value: string, type: 'String' | 'SecureString') =>
    awsJsonRequest({ ...options, service: 'ssm', target: 'AmazonSSM.PutParameter', contentType: 'application/x-amz-json-1.1', body: { Name: name, Value: value, Type: type, Overwrite: true } });
  // The id last: a stage whose id is set has its key and secret too.
  await put(names.privateKey, app.privateKey, 'SecureString');
  await put(names.webhookSecret, app.webhookSecret, 'SecureString');
  await put(names.appId, app.appId, 'String');
  return [names.appId, names.privateKey, names.webhookSecret];
}

const ENV_KEYS = { GITHUB_APP_ID: 'appId', GITHUB_PRIVATE_KEY: 'privateKey', GITHUB_WEBHOOK_SECRET: 'webhookSecret' } as const;

/**
 * Sets the three variables in a .env file for `npm start` (the key on one line with literal \n, which
 * Fluxline accepts), keeping every other line, and makes the file readable by its owner only.
 */
export async function storeInEnvFile(path: string, app: GithubAppCredentials, extra: Record<string, string> = {}): Promise<string[]> {
  let lines: string[] = [];
  try {
    lines = (await readFile(path, 'utf8')).split('\n');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const keys = [...Object.keys(ENV_KEYS), ...Object.keys(extra)];
  const kept = lines.filter((line) => !keys.some((key) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(line)));
  while (kept.length > 0 && kept.at(-1) === '') kept.pop();
  const value = (key: string) => (key in ENV_KEYS ? app[ENV_KEYS[key as keyof typeof ENV_KEYS]] : (extra[key] ?? '')).replace(/\r?\n/g, '\\n');
  const added = keys.map((key) => `${key}="${value(key)}"`);
  await writeFile(path, `${[...kept, ...added].join('\n')}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return keys;
}
