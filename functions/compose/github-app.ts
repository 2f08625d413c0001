import { requireEnv, type Env, type Settings } from '../../lib/core/config';
import { requireSecret } from '../../lib/adapters/secrets';
import { createGithubApp, type GithubApp } from '../../lib/adapters/github';

/** PEM keys pasted into .env often carry literal "\n"; GitHub's downloaded key has real newlines. */
function normalizePem(key: string): string {
  return key.includes('\\n') ? key.replace(/\\n/g, '\n') : key;
}

/** The GitHub App of GITHUB_APP_ID and GITHUB_PRIVATE_KEY (or its `_PARAM` in AWS), each named when missing. */
export async function githubAppFromEnv(env: Env, settings: Settings): Promise<GithubApp> {
  const appId = requireEnv(env, 'GITHUB_APP_ID', 'set it to the App ID shown on the GitHub App settings page');
  const privateKey = normalizePem(await requireSecret(env, 'GITHUB_PRIVATE_KEY', 'paste the GitHub App private key (PEM)'));
  return createGithubApp({ appId, privateKey, apiUrl: settings.githubApiUrl });
}
