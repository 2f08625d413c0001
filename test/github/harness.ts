import { createGithubApp, type GithubApp, type RequestPolicy } from '../../lib/adapters/github';
import { generateAppKeyPair, startFakeGithub, type FakeFile, type FakeGithub } from '../fakes/github';
import { pullRequestPayload, type PullRequestPayloadOptions } from '../helpers/github-payloads';

export const INSTALLATION = 4242;
export const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';

let nextAppId = 31_000;

export interface Harness {
  github: FakeGithub;
  app: GithubApp;
  appId: string;
  privateKey: string;
}

/** A fresh GitHub fake with acme/fleet installed, and the real app pointed at it, under an app id of its own. */
export async function startHarness(policy: Partial<RequestPolicy> = { retryBaseMs: 10 }): Promise<Harness> {
  const appId = String(nextAppId++);
  const { privateKey, publicKey } = generateAppKeyPair();
  const github = await startFakeGithub({ appId, publicKey });
  github.installations.set('acme/fleet', INSTALLATION);
  const app = createGithubApp({ appId, privateKey, apiUrl: github.url, policy });
  return { github, app, appId, privateKey };
}

/** Registers a real (re-homed) pull_request payload with the fake and returns its pull_request object. */
export function addPullRequest(github: FakeGithub, number: number, files: string[] | FakeFile[] = [], options: PullRequestPayloadOptions = {}): Record<string, unknown> {
  const repository = options.repository ?? 'acme/fleet';
  const payload = pullRequestPayload('opened', { number, headSha: HEAD_SHA, ...options, repository });
  const pullRequest = payload.pull_request as Record<string, unknown>;
  github.addPullRequest({ payload: pullRequest, repository, files });
  return pullRequest;
}

/** The requests the fake saw, as `METHOD /path (auth)` lines, for readable assertions. */
export function seen(github: FakeGithub, path?: RegExp): string[] {
  return github.requests.filter((r) => !path || path.test(r.path)).map((r) => `${r.method} ${r.path} (${r.auth})`);
}
