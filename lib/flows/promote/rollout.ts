import type { GithubApp } from '../../adapters/github';
import type { JobRecord, PendingRollout, Store } from '../../adapters/store';
import type { ClusterToRead, VersionsDeps } from '../versions';
import { commitVersion, type CommitResult } from './commit-version';
import { GitopsNotConfigured } from './errors';
import { slackUserOnGithub } from '../../core/sanitise';
import { ensureKnownVersion, rollbackVersion } from './known-versions';
import { folderOf, locateApp } from './locate-app';


export interface RolloutDeps extends VersionsDeps {
  store: Pick<Store, 'latestDeploymentsOn' | 'deploymentsOfApp' | 'putPendingRollout' | 'appendAudit'>;
  github(): Promise<GithubApp>;
  now?: () => Date;
}

export interface RolloutRequest {
  jobId: string;
  action: 'promote' | 'rollback';
  app: string;
  environment: string;
  /** Promote only: rollback finds it in the deployment history. */
  version?: string;
  requester: JobRecord['requester'];
  /** The clusters a promote's version may be seen running on. */
  clusters: ClusterToRead[];
}

export type RolloutResult = CommitResult & {
  action: 'promote' | 'rollback';
  app: string;
  version: string;
  environment: string;
  repository: string;
  /** A pending rollout was written: the Flux events handler will update the Slack message. */
  following?: PendingRollout['expect'];
};

/**
 * Promote and rollback share this path: find the file that sets the app's version under the
 * environment's folder, change that one value, commit (or open a PR), and leave a pending rollout for
 * the Flux events handler to complete when the matching deployment is reported.
 */
export async function rollOut(deps: RolloutDeps, request: RolloutRequest): Promise<RolloutResult> {
  const gitops = deps.config.gitops;
  if (!gitops) throw new GitopsNotConfigured();
  const version = request.version ?? (await rollbackVersion(deps.store, request.app, request.environment)).version;
  const [owner = '', repo = ''] = gitops.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const folder = folderOf(gitops.paths, request.environment);
  // The app first: "not found under clusters/prod/" is the more useful answer to a typo in its name.
  const location = await locateApp(client, { owner, repo }, gitops.branch, folder, request.app);
  if (request.action === 'promote' && !location.targets.every((target) => target.current === version)) await ensureKnownVersion(deps, request.app, version, request.clusters);
  const result = await commitVersion(client, gitops, location, {
    app: request.app,
    version,
    environment: request.environment,
    action: request.action,
    folder,
    requester: slackUserOnGithub(request.requester.user, request.requester.name),
    jobId: request.jobId,
  });
  const base = { ...result, action: request.action, app: request.app, version, environment: request.environment, repository: gitops.repository };
  if (result.kind === 'unchanged') return base;

  // A HelmRelease reports the chart version; a Kustomization the commit it applied, which for a PR is
  // the merge commit, unknown until someone merges: then there is nothing exact to wait for.
  const helm = location.targets[0]?.kind === 'helm-release';
  const expect = helm ? { version } : result.kind === 'commit' ? { commitSha: result.commitSha } : undefined;
  if (!expect) return base;
  await deps.store.putPendingRollout({
    jobId: request.jobId,
    cluster: request.environment,
    app: request.app,
    expect,
    requester: {
      user: request.requester.user,
      channel: request.requester.channel,
      ...(request.requester.messageTs ? { messageTs: request.requester.messageTs } : {}),
      ...(request.requester.threadTs ? { threadTs: request.requester.threadTs } : {}),
    },
    action: request.action,
    createdAt: (deps.now?.() ?? new Date()).toISOString(),
  });
  return { ...base, following: expect };
}
