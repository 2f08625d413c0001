import { HANDLED_GITHUB_EVENTS } from '../../lib/flows/ingress/accept-github-delivery';
import { baseUrlOf } from './slack-manifest';

type Access = 'read' | 'write';

/**
 * Each GitHub REST route Fluxline calls, and the App permission it needs (each endpoint's "Fine-grained
 * access" section on docs.github.com/rest). `null`: the App's own JWT, no repository permission.
 * test/scripts/setup-github.test.ts fails when the code calls a route missing here, or when one here is no
 * longer called, so the App asks for what Fluxline uses and no more.
 */
export const GITHUB_ROUTE_PERMISSIONS: Readonly<Record<string, readonly [permission: string, access: Access] | null>> = {
  'GET /app/hook/deliveries': null,
  'POST /app/hook/deliveries/{delivery_id}/attempts': null,
  'GET /repos/{owner}/{repo}/installation': null,
  // Tarballs of PR heads, and promote/rollback commits and branches on gitops.repository.
  'GET /repos/{owner}/{repo}/tarball/{ref}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/contents/{path}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/git/ref/{ref}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}': ['contents', 'read'],
  'GET /repos/{owner}/{repo}/git/blobs/{file_sha}': ['contents', 'read'],
  // How far a PR's head is behind its base (the diff's "N commits behind base").
  'GET /repos/{owner}/{repo}/compare/{basehead}': ['contents', 'read'],
  'PUT /repos/{owner}/{repo}/contents/{path}': ['contents', 'write'],
  'POST /repos/{owner}/{repo}/git/refs': ['contents', 'write'],
  'GET /repos/{owner}/{repo}/pulls/{pull_number}': ['pull_requests', 'read'],
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': ['pull_requests', 'read'],
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews': ['pull_requests', 'read'],
  'POST /repos/{owner}/{repo}/pulls': ['pull_requests', 'write'],
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews': ['pull_requests', 'write'],
  // A check run per diff target on the PR's head; a create whose answer was lost is found again by listing.
  'GET /repos/{owner}/{repo}/commits/{ref}/check-runs': ['checks', 'read'],
  'POST /repos/{owner}/{repo}/check-runs': ['checks', 'write'],
  'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}': ['checks', 'write'],
  // Comments on a PR: "Issues" or "Pull requests" write; a PR is all Fluxline comments on.
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': ['pull_requests', 'read'],
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': ['pull_requests', 'write'],
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': ['pull_requests', 'write'],
};

/** The App's permissions: the highest access each route needs, and `metadata: read`, which every App has. */
export function githubAppPermissions(): Record<string, Access> {
  const permissions: Record<string, Access> = { metadata: 'read' };
  for (const need of Object.values(GITHUB_ROUTE_PERMISSIONS)) {
    if (!need) continue;
    const [permission, access] = need;
    if (permissions[permission] !== 'write') permissions[permission] = access;
  }
  return permissions;
}

export interface GithubManifestOptions {
  /** The deployment's base URL: the webhook goes to /github/webhook under it. */
  url: string;
  /** Where GitHub posts the webhook instead: a smee.io channel that `npm start` listens on (WEBHOOK_PROXY_URL). */
  webhookUrl?: string;
  /** Where GitHub sends the browser back with the code (the local setup page). */
  redirectUrl: string;
  /** @default 'Fluxline' */
  name?: string;
}

/** The App manifest (docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest#github-app-manifest-parameters). */
export function githubAppManifest({ url, webhookUrl, redirectUrl, name = 'Fluxline' }: GithubManifestOptions): Record<string, unknown> {
  const base = baseUrlOf(url);
  return {
    name,
    url: base,
    description: 'GitOps ChatOps for Flux: PR notices and flux diff in Slack, promote and rollback',
    hook_attributes: { url: webhookUrl ? baseUrlOf(webhookUrl) : `${base}/github/webhook`, active: true },
    redirect_url: redirectUrl,
    public: false,
    default_permissions: githubAppPermissions(),
    default_events: [...HANDLED_GITHUB_EVENTS].sort(),
  };
}

/** github.com, or a GitHub Enterprise Server's web address from its API URL (…/api/v3). */
export function githubWebUrlOf(apiUrl: string | undefined): string {
  if (!apiUrl || /^https:\/\/api\.github\.com\/?$/.test(apiUrl)) return 'https://github.com';
  return apiUrl.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '');
}
