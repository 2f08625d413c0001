import type { GithubApp } from '../../adapters/github';
import type { JobRecord, PendingRollout, Store } from '../../adapters/store';
import { readVersions, type AppOnCluster, type ClusterToRead, type VersionsDeps } from '../versions';
import { automationMarkers, withAutomations, type AutomationMarker } from './automation-marker';
import { commitVersion, type CommitResult } from './commit-version';
import { GitopsNotConfigured, UnknownVersion, VersionNeedsChoice } from './errors';
import { slackUserOnGithub } from '../../core/sanitise';
import { appOn, rollbackVersion } from './known-versions';
import { folderOf, locateApp, type AppLocation } from './locate-app';
import { knownList, knownVersions, versionChoices, type NamedAs, type VersionChoice } from './version-readings';
import { READING_OF } from './version-targets';

export interface RolloutDeps extends VersionsDeps {
  store: Pick<Store, 'latestDeploymentsOn' | 'deploymentsOfApp' | 'deploymentHistory' | 'putPendingRollout' | 'appendAudit'>;
  github(): Promise<GithubApp>;
  now?: () => Date;
}

export interface RolloutRequest {
  jobId: string;
  action: 'promote' | 'rollback';
  app: string;
  environment: string;
  /** Promote only: rollback finds it in the release history or the deployment history. */
  version?: string;
  /** The reading chosen with a button when the version could be read several ways. */
  as?: NamedAs;
  requester: JobRecord['requester'];
  /** The clusters a promote's version may be seen running on (the environment among them). */
  clusters: ClusterToRead[];
}

export type RolloutResult = CommitResult & {
  action: 'promote' | 'rollback';
  app: string;
  /** What the user named (promote) or what was found (rollback). */
  version: string;
  /** What was written, when it is not `version` (an app version promoted through its chart: the chart version). */
  written?: string;
  /** How the version was read. */
  as?: NamedAs;
  environment: string;
  repository: string;
  /** A pending rollout was written: the Flux events handler will update the Slack message. */
  following?: PendingRollout['expect'];
  /** Image policy markers on the edited lines: image automation will undo the change on its next run. */
  automation?: AutomationMarker[];
};

/** What the owning object's success will be matched by, for the targets edited. */
function expectationOf(running: AppOnCluster | undefined, choice: VersionChoice, result: CommitResult): PendingRollout['expect'] | undefined {
  const kind = choice.targets[0]?.kind;
  if (kind === 'helm-release' || kind === 'oci-chart-tag') return { version: choice.write };
  if (kind === 'helm-values-tag') return { anyUpgrade: true, appVersion: choice.write };
  // A Kustomization reports the commit it applied, which for a PR is the merge commit, unknown until
  // someone merges: then there is nothing exact to wait for.
  if (result.kind !== 'commit') return undefined;
  const previous = running?.owner?.kind === 'Kustomization' ? running.ownerState?.appliedRevision : undefined;
  return { commitSha: result.commitSha, appVersion: choice.write, ...(previous ? { previousRevision: previous } : {}) };
}

/** Picks the one reading to carry out, or says why none or several fit. */
function chooseReading(request: RolloutRequest, location: AppLocation, choices: VersionChoice[], known: ReturnType<typeof knownVersions>, version: string): VersionChoice {
  const narrowed = request.as ? choices.filter((choice) => choice.as === request.as) : choices;
  const [only] = narrowed;
  if (narrowed.length === 1 && only) return only;
  if (narrowed.length > 1) throw new VersionNeedsChoice(request.app, version, narrowed.map(({ as, write, why }) => ({ reading: as, write, why })));
  // Already there: nothing to check, nothing to commit.
  const atVersion = location.targets.filter((target) => target.current === version);
  if (atVersion.length > 0) return { as: READING_OF[atVersion[0]?.kind ?? 'container-image'] === 'chart' ? 'chart' : 'image', write: version, targets: atVersion, why: 'the current version' };
  throw new UnknownVersion(request.app, version, knownList(known).slice(0, 10));
}

/**
 * Promote and rollback share this path: find the file that sets the app's version under the
 * environment's folder, decide what the named version means (chart, app version, image tag), change
 * those values, commit (or open a PR), and leave a pending rollout for the Flux events handler to
 * complete when the owning object reports the matching deployment.
 */
export async function rollOut(deps: RolloutDeps, request: RolloutRequest): Promise<RolloutResult> {
  const gitops = deps.config.gitops;
  if (!gitops) throw new GitopsNotConfigured();
  const [owner = '', repo = ''] = gitops.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const folder = folderOf(gitops.paths, request.environment);
  const clusters = request.clusters.some((c) => c.name === request.environment) ? request.clusters : [...request.clusters, { name: request.environment }];
  const [byName, readings] = await Promise.all([deps.store.deploymentsOfApp(request.app, 200), readVersions(deps, clusters, { app: request.app })]);
  const running = appOn(readings, request.environment);
  // History is per Flux object: the owner's own records, not every object that shares the app's name.
  const byOwner = running?.owner ? await deps.store.deploymentHistory(request.environment, running.owner, 200) : [];
  const history = [...byName, ...byOwner.filter((d) => d.kind === 'HelmRelease' || d.app === request.app)];
  const rollback = request.action === 'rollback' ? rollbackVersion(request.app, request.environment, running, running?.owner ? byOwner : byName) : undefined;
  const version = rollback?.version ?? request.version ?? '';
  // The app first: "not found under clusters/prod/" is the more useful answer to a typo in its name.
  const location = await locateApp(client, { owner, repo }, gitops.branch, folder, request.app);
  const known = knownVersions(request.app, readings, history);
  if (rollback) (rollback.as === 'chart' ? known.charts : known.tags).add(rollback.version);
  const choice = chooseReading({ ...request, ...(rollback ? { as: rollback.as } : {}) }, location, versionChoices(version, location.targets, known), known, version);
  const edited: AppLocation = { ...location, targets: choice.targets };
  const result = await commitVersion(client, gitops, edited, {
    app: request.app,
    version: choice.write,
    environment: request.environment,
    action: request.action,
    folder,
    requester: slackUserOnGithub(request.requester.user, request.requester.name),
    jobId: request.jobId,
  });
  const environment = clusters.find((c) => c.name === request.environment) ?? { name: request.environment };
  const markers = await withAutomations(deps, environment, edited.path, automationMarkers(edited.text, choice.targets));
  const base: RolloutResult = {
    ...result,
    action: request.action,
    app: request.app,
    version,
    ...(choice.write !== version ? { written: choice.write } : {}),
    as: choice.as,
    environment: request.environment,
    repository: gitops.repository,
    ...(markers.length > 0 ? { automation: markers } : {}),
  };
  if (result.kind === 'unchanged') return base;

  const expect = expectationOf(running, choice, result);
  if (!expect) return base;
  const object = running?.owner;
  await deps.store.putPendingRollout({
    jobId: request.jobId,
    cluster: request.environment,
    app: request.app,
    ...(object ? { object } : {}),
    expect,
    ...(running?.ownerState ? { readiness: running.ownerState.readiness } : {}),
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
