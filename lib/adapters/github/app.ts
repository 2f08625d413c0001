import * as z from '../../core/validation';
import { appJwtSigner } from './app-jwt';
import { createClient, type GithubClient } from './client';
import { AppAuthFailed, AppNotInstalled, GithubError } from './errors';
import { statusOf } from './request-error';
import { DEFAULT_REQUEST_POLICY, type RequestPolicy } from './request-policy';

export interface GithubAppOptions {
  /** GITHUB_APP_ID */
  appId: string;
  /** GITHUB_PRIVATE_KEY: the PEM GitHub generated for the app (escaped `\n` are accepted). */
  privateKey: string;
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: string;
  /** Tests shorten the backoff; production keeps DEFAULT_REQUEST_POLICY. */
  policy?: Partial<RequestPolicy>;
}

export interface GithubApp {
  /** A client authenticated as this installation; its tokens are fetched and cached by @octokit/auth-app. */
  forInstallation(installationId: number): GithubClient;
  /** A client for the installation that covers owner/repo; throws AppNotInstalled when there is none. */
  forRepository(owner: string, repo: string): Promise<GithubClient>;
  /** A client authenticated as the app itself (JWT), for the App-level routes such as /app/hook/deliveries. */
  forApp(): GithubClient;
  /**
   * Parses the key and signs the App's JWT now, sending nothing, so the first App-level call finds them
   * ready: a worker does it while its job's claim is in flight (issue #20). A bad key fails here as it would
   * there, and is told there.
   */
  prepare(): Promise<void>;
}

const optionsSchema = z.object({
  appId: z.string().check(z.trim(), z.minLength(1, 'GITHUB_APP_ID is empty')),
  privateKey: z.string().check(z.refine((key) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(key), 'GITHUB_PRIVATE_KEY is not a PEM private key')),
  apiUrl: z.url({ protocol: /^https?$/, error: 'GITHUB_API_URL is not an http(s) URL' }),
});

export function createGithubApp(options: GithubAppOptions): GithubApp {
  const parsed = optionsSchema.safeParse(options);
  // The issue message names the variable; never the value, which may be the private key.
  if (!parsed.success) throw new GithubError(`invalid GitHub App settings: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const { privateKey, ...rest } = parsed.data;
  const settings = {
    ...rest,
    createJwt: appJwtSigner(privateKey),
    // Octokit appends routes to baseUrl as is: a trailing slash would double it.
    apiUrl: parsed.data.apiUrl.replace(/\/+$/, ''),
    policy: { ...DEFAULT_REQUEST_POLICY, ...options.policy },
  };

  let appClient: GithubClient | undefined;
  const clients = new Map<number, GithubClient>();
  const lookups = new Map<string, Promise<number>>();

  function forInstallation(installationId: number): GithubClient {
    if (!Number.isSafeInteger(installationId) || installationId <= 0) throw new GithubError(`invalid installation id ${installationId}`);
    // One client per installation, so its cached token is reused for the life of the Lambda container.
    let client = clients.get(installationId);
    if (!client) {
      client = createClient({ ...settings, installationId });
      clients.set(installationId, client);
    }
    return client;
  }

  function forApp(): GithubClient {
    appClient ??= createClient(settings);
    return appClient;
  }

  async function lookUpInstallation(owner: string, repo: string): Promise<number> {
    try {
      const { data } = await forApp().request('GET /repos/{owner}/{repo}/installation', { owner, repo });
      return data.id;
    } catch (err) {
      if (statusOf(err) === 404) throw new AppNotInstalled(`${owner}/${repo}`, { cause: err });
      if (statusOf(err) === 401) throw new AppAuthFailed({ cause: err });
      throw err;
    }
  }

  function installationOf(owner: string, repo: string): Promise<number> {
    const key = `${owner}/${repo}`.toLowerCase();
    let lookup = lookups.get(key);
    if (!lookup) {
      lookup = lookUpInstallation(owner, repo);
      lookups.set(key, lookup);
      // A failed lookup is not cached: the app may be installed a minute later.
      lookup.catch(() => lookups.delete(key));
    }
    return lookup;
  }

  return {
    forInstallation,
    forApp,
    async prepare() {
      forApp();
      await settings.createJwt(settings.appId);
    },
    async forRepository(owner, repo) {
      return forInstallation(await installationOf(owner, repo));
    },
  };
}
