import type { Env, Settings } from '../../lib/core/config';
import { requireSecret } from '../../lib/adapters/secrets';
import { createGithubApp, type GithubApp } from '../../lib/adapters/github';

/** PEM keys pasted into .env often carry literal "\n"; GitHub's downloaded key has real newlines. */
function normalizePem(key: string): string {
  return key.includes('\\n') ? key.replace(/\\n/g, '\n') : key;
}

/**
 * The App ID: GITHUB_APP_ID locally; in AWS the SSM parameter GITHUB_APP_ID_PARAM names (read with the
 * function's other parameters), so a later deploy without flags cannot blank it.
 */
export async function githubAppIdFromEnv(env: Env): Promise<string> {
  return (await requireSecret(env, 'GITHUB_APP_ID', 'set it to the App ID shown on the GitHub App settings page (in AWS: the SSM parameter /fluxline/<stage>/github-app-id, README "Deploying")')).trim();
}

/** The GitHub App of GITHUB_APP_ID and GITHUB_PRIVATE_KEY (or their `_PARAM` in AWS), each named when missing. */
export async function githubAppFromEnv(env: Env, settings: Settings): Promise<GithubApp> {
  const appId = await githubAppIdFromEnv(env);
  const privateKey = normalizePem(await requireSecret(env, 'GITHUB_PRIVATE_KEY', 'paste the GitHub App private key (PEM)'));
  return createGithubApp({ appId, privateKey, apiUrl: settings.githubApiUrl });
}
