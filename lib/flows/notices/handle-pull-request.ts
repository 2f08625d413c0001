import { encodeAction } from '../../core/commands';
import { findRepositoryRule, type Config, type DiffTarget, type RepositoryRule } from '../../core/config';
import { listPullRequestFiles, pullRequestInfoFromPayload, type GithubApp, type PullRequestInfo } from '../../adapters/github';
import { logger } from '../../core/log';
import { contextMessage, escapeMrkdwn, inlineCode, type SlackPort } from '../../adapters/slack';
// The module, not the diffs barrel: the notice needs target discovery, not the worker's diff runner.
import { discoverDiffTargets } from '../diffs/discover-targets';
import { currentTestMerge } from '../diffs/diffed-commit';
import type { JobQueue } from '../jobs';
import type { PrNotice, Store } from '../../adapters/store';
import type { PullRequestEvent } from './payload';
import { queueAutoDiffs } from './auto-diff';
import { postOnce } from '../effects';
import { bestEffort, supersedeCheckRuns } from '../checks';
import { publishNotice, type NoticeContent, type PublishResult } from './publish-notice';
import { canStartNotice, pathMatcher, scopeProblem, type PullRequestFacts, type SkipReason } from './rules';

export interface NoticeDeps {
  config: Config;
  store: Store;
  /** Where `autoDiff` queues its diffs. */
  queue: JobQueue;
  slack: SlackPort;
  github: () => Promise<GithubApp>;
  /** Cluster credentials, to find the PR's diff targets on the clusters. */
  readParameter: (name: string) => Promise<string>;
  now?: () => Date;
  pollMs?: number;
  /** Per cluster, while finding the PR's targets (discover-targets.ts). */
  clusterTimeoutMs?: number;
  /** GITHUB_APP_ID: a push supersedes only this App's check runs. */
  appId?: string;
}

export type NoticeOutcome =
  | PublishResult
  | { outcome: 'skipped'; reason: SkipReason | 'repository-not-configured' | 'no-installation' | 'no-notice-to-close' };

/** How many matched paths a notice lists before "and N more". */
const PATHS_SHOWN = 5;

function stateOf(pr: PullRequestInfo): PrNotice['state'] {
  if (pr.merged) return 'merged';
  if (pr.state === 'closed') return 'closed';
  return pr.draft ? 'draft' : 'open';
}

/** How many files read by the PR's targets the notice stores for the diffs. */
const MAX_READ_STORED = 500;
/** How many files no target reads a notice names before "and N more". */
const UNCOVERED_SHOWN = 10;

function forkRefusesDiffs(rule: RepositoryRule, pr: PullRequestInfo): boolean {
  return pr.fromFork && rule.pullRequests.forks === 'notify-only';
}

/**
 * Diff buttons, one per target, unless the fork policy says a fork PR only gets a notice. A button's value
 * names the PR (whose stored notice lists its targets) and the target; request-diff.ts runs only a target
 * that config.yaml or that stored notice lists, whatever the value says.
 */
function diffButtons(rule: RepositoryRule, pr: PullRequestInfo, targets: readonly DiffTarget[], notes: readonly string[]): Pick<NoticeContent, 'diffs' | 'note'> {
  if (forkRefusesDiffs(rule, pr)) {
    return { diffs: [], note: `Opened from the fork ${pr.headRepository}: diffs are disabled for forks (forks: notify-only).` };
  }
  const diffs = targets.map(({ kustomization, cluster }) => ({
    kustomization,
    cluster,
    value: encodeAction({ type: 'flux-diff', repository: pr.repository, number: pr.number, kustomization, cluster }),
  }));
  const lines = [...(pr.fromFork && rule.pullRequests.forks === 'diff-by-admin' ? [`Opened from the fork ${pr.headRepository}: only Fluxline admins may run its diffs.`] : []), ...notes];
  return lines.length ? { diffs, note: lines.join('\n') } : { diffs };
}

/** "No Kustomization reads …": files no diff would look at, said before anyone approves on a "No changes". */
function uncoveredNote(uncovered: readonly string[]): string[] {
  if (uncovered.length === 0) return [];
  const shown = uncovered.slice(0, UNCOVERED_SHOWN).map((file) => inlineCode(file)).join(', ');
  const more = uncovered.length > UNCOVERED_SHOWN ? ` and ${uncovered.length - UNCOVERED_SHOWN} more` : '';
  return [`:warning: No diff target reads ${uncovered.length === 1 ? 'this changed file' : `these ${uncovered.length} changed files`}: ${shown}${more}. Their diff is not shown anywhere.`];
}

/** The PR's targets (discover-targets.ts): none for a fork under `forks: notify-only`, whose code is not read for it. */
async function targetsOf(deps: NoticeDeps, reads: Extract<PullRequestReads, { kind: 'publish' }>) {
  const { rule, pr } = reads;
  if (forkRefusesDiffs(rule, pr) || !rule.discover) return { targets: forkRefusesDiffs(rule, pr) ? [] : rule.diffs, uncovered: [], notes: [] };
  const client = (await deps.github()).forInstallation(reads.installationId);
  return discoverDiffTargets(
    { config: deps.config, readParameter: deps.readParameter, client, ...(deps.clusterTimeoutMs ? { clusterTimeoutMs: deps.clusterTimeoutMs } : {}) },
    { rule, repository: pr.repository, baseRef: pr.baseRef, treeSha: currentTestMerge(pr) ?? pr.headSha, changed: reads.matched },
  );
}

/** Actions after which a PR's existing message is brought up to date; others change nothing it shows. */
const UPDATING_ACTIONS = ['synchronize', 'reopened', 'ready_for_review', 'opened'];

/** The PR's notice as the event finds it: none yet, its first post under way elsewhere, or posted. */
type NoticeStage = 'none' | 'pending' | 'posted';

function stageOf(notice: PrNotice | undefined): NoticeStage {
  if (!notice) return 'none';
  return notice.ts ? 'posted' : 'pending';
}

/** Why an event that is not a close publishes nothing, given where the PR's notice stands. */
function skipReason(rules: RepositoryRule['pullRequests'], facts: PullRequestFacts, stage: NoticeStage): SkipReason | undefined {
  if (stage === 'none') return canStartNotice(rules, facts);
  // A label or edit on a PR that already has its message changes nothing the message shows.
  return scopeProblem(rules, facts) ?? (stage === 'posted' && !UPDATING_ACTIONS.includes(facts.action) ? 'action-not-watched' : undefined);
}

/**
 * An event older than the one the message shows: GitHub may send a PR's deliveries concurrently, and a
 * redelivery comes late, so the FIFO group alone (one PR's deliveries in the order they were queued) cannot
 * keep an `opened` from undoing its `synchronize`. Equal times are not stale: labels and pushes can share a second.
 */
function isStale(pr: PullRequestInfo, notice: PrNotice | undefined): boolean {
  return Boolean(pr.updatedAt && notice?.prUpdatedAt && Date.parse(pr.updatedAt) < Date.parse(notice.prUpdatedAt));
}

/** Everything a pull_request event needs to know before anything visible happens. */
export type PullRequestReads =
  | { kind: 'close'; rule: RepositoryRule; pr: PullRequestInfo; existing: PrNotice }
  | { kind: 'publish'; rule: RepositoryRule; pr: PullRequestInfo; existing: PrNotice | undefined; matched: string[]; filesTruncated: boolean; installationId: number };

type Skipped = Extract<NoticeOutcome, { outcome: 'skipped' }>;

async function listFiles(deps: NoticeDeps, installationId: number, pr: PullRequestInfo) {
  const client = (await deps.github()).forInstallation(installationId);
  const [owner = '', repo = ''] = pr.repository.split('/');
  return listPullRequestFiles(client, { owner, repo, number: pr.number });
}

/**
 * DESIGN §3 flow 1, first half: decide whether a pull_request event concerns the manifests we watch,
 * reading only (the PR's notice, its changed files), so that receiveDelivery can overlap these reads with
 * the delivery's claim. When the event would list the files whether or not the PR has a notice yet, the
 * files (installation token first, on a cold start) are fetched while the notice is read.
 */
export async function readPullRequestEvent(deps: NoticeDeps, event: PullRequestEvent): Promise<PullRequestReads | Skipped> {
  const rule = findRepositoryRule(deps.config.repositories, event.repository.full_name);
  if (!rule) return { outcome: 'skipped', reason: 'repository-not-configured' };
  const pr = pullRequestInfoFromPayload(event.pull_request);

  if (event.action === 'closed') {
    // A closed PR keeps its message, marked merged or closed, without diff buttons.
    const existing = await deps.store.getNotice(pr.repository, pr.number);
    if (isStale(pr, existing)) return { outcome: 'skipped', reason: 'stale-event' };
    return existing?.ts ? { kind: 'close', rule, pr, existing } : { outcome: 'skipped', reason: 'no-notice-to-close' };
  }

  const facts = { action: event.action, draft: pr.draft, labels: pr.labels, ...(event.label ? { eventLabel: event.label.name } : {}) };
  const installationId = event.installation?.id;
  const filesFirst = installationId !== undefined && !skipReason(rule.pullRequests, facts, 'none') && !skipReason(rule.pullRequests, facts, 'posted');
  const [existing, filesRead] = await Promise.all([
    deps.store.getNotice(pr.repository, pr.number),
    filesFirst ? listFiles(deps, installationId, pr) : undefined,
  ]);
  if (isStale(pr, existing)) return { outcome: 'skipped', reason: 'stale-event' };
  const problem = skipReason(rule.pullRequests, facts, stageOf(existing));
  if (problem) return { outcome: 'skipped', reason: problem };
  if (installationId === undefined) return { outcome: 'skipped', reason: 'no-installation' };
  const files = filesRead ?? (await listFiles(deps, installationId, pr));
  const matched = pathMatcher(rule.pullRequests.paths)(files.paths);
  if (matched.length === 0 && !existing?.ts) return { outcome: 'skipped', reason: 'no-watched-paths' };
  return { kind: 'publish', rule, pr, existing, matched, filesTruncated: files.truncated, installationId };
}

/**
 * DESIGN §3 flow 1, second half: post or update the PR's single Slack message (and, on a new head, reply
 * in its thread and queue the auto diffs). Returns what happened so the caller can log and record it.
 */
export async function publishPullRequestEvent(deps: NoticeDeps, reads: PullRequestReads): Promise<NoticeOutcome> {
  const { rule, pr, existing } = reads;
  const channel = rule.channel ?? deps.config.slack.channel;
  const state = stateOf(pr);
  const publish = { store: deps.store, slack: deps.slack, ...(deps.now ? { now: deps.now } : {}), ...(deps.pollMs ? { pollMs: deps.pollMs } : {}) };
  const lastRead = { notice: existing };

  if (reads.kind === 'close') {
    return publishNotice(publish, { channel, pr, state, matchedPaths: reads.existing.matchedPaths, matchedPathCount: reads.existing.matchedPathCount, diffs: [] }, lastRead);
  }

  const { matched } = reads;
  // A merged or closed PR gets no buttons (the close path above); an open one its targets, found now.
  const found = await targetsOf(deps, reads);
  const result = await publishNotice(
    publish,
    {
      channel,
      pr,
      state,
      matchedPaths: matched.slice(0, PATHS_SHOWN),
      matchedPathCount: matched.length,
      ...diffButtons(rule, pr, found.targets, [...found.notes, ...uncoveredNote(found.uncovered)]),
      // Past this many the diffs judge coverage alone: a notice item stays far below DynamoDB's 400 KB.
      ...(found.readByTargets && found.readByTargets.length <= MAX_READ_STORED ? { readByTargets: found.readByTargets } : {}),
      ...('repositoryBytes' in found && found.repositoryBytes !== undefined ? { repositoryBytes: found.repositoryBytes } : {}),
      installationId: reads.installationId,
    },
    lastRead,
  );

  if (result.outcome === 'updated' && result.headMoved && existing) {
    const before = existing.headSha.slice(0, 7);
    const after = pr.headSha.slice(0, 7);
    // One reply per push, whichever delivery of it gets here (DESIGN §3 "Exactly once, visibly").
    await postOnce(
      deps,
      `push:${pr.repository}#${pr.number}@${pr.headSha}`,
      contextMessage(result.channel, result.ts, [`New commits pushed to ${escapeMrkdwn(pr.repository)}#${pr.number}: \`${before}\` → \`${after}\`. Earlier diffs describe \`${before}\`; run Flux diff again.`]),
    );
    // A redelivered push finds them completed already: nothing is patched twice.
    await bestEffort('supersede the old head\'s runs', { repository: pr.repository, number: pr.number }, () =>
      supersedeCheckRuns(deps, { repository: pr.repository, oldSha: existing.headSha, newSha: pr.headSha, ...(deps.appId ? { appId: deps.appId } : {}) }),
    );
  }
  const headIsNew = result.outcome === 'posted' || result.headMoved;
  const autoDiffs = rule.pullRequests.autoDiff && headIsNew && state === 'open' ? await queueAutoDiffs(deps, rule, pr, result, found.targets) : 0;
  logger.info('pull request notice published', { repository: pr.repository, number: pr.number, outcome: result.outcome, matched: matched.length, filesTruncated: reads.filesTruncated, targets: found.targets.length, uncovered: found.uncovered.length, autoDiffs });
  return result;
}
