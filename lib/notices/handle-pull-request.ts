import { encodeAction } from '../commands';
import { findRepositoryRule, type Config, type RepositoryRule } from '../config';
import { listPullRequestFiles, pullRequestInfoFromPayload, type GithubApp, type PullRequestInfo } from '../github';
import { logger } from '../log';
import { contextMessage, type SlackPort } from '../slack';
import type { JobQueue } from '../jobs';
import type { PrNotice, Store } from '../store';
import type { PullRequestEvent } from './payload';
import { queueAutoDiffs } from './auto-diff';
import { publishNotice, type NoticeContent, type PublishResult } from './publish-notice';
import { canStartNotice, pathMatcher, scopeProblem, type SkipReason } from './rules';

export interface NoticeDeps {
  config: Config;
  store: Store;
  /** Where `autoDiff` queues its diffs. */
  queue: JobQueue;
  slack: SlackPort;
  github: () => Promise<GithubApp>;
  now?: () => Date;
  pollMs?: number;
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

/** Diff buttons, unless the fork policy says a fork PR only gets a notice. */
function diffButtons(rule: RepositoryRule, pr: PullRequestInfo): Pick<NoticeContent, 'diffs' | 'note'> {
  if (pr.fromFork && rule.pullRequests.forks === 'notify-only') {
    return { diffs: [], note: `Opened from the fork ${pr.headRepository}: diffs are disabled for forks (forks: notify-only).` };
  }
  const diffs = rule.diffs.map(({ kustomization, cluster }) => ({
    kustomization,
    cluster,
    value: encodeAction({ type: 'flux-diff', repository: pr.repository, number: pr.number, kustomization, cluster }),
  }));
  const note = pr.fromFork && rule.pullRequests.forks === 'diff-by-admin' ? `Opened from the fork ${pr.headRepository}: only Fluxline admins may run its diffs.` : undefined;
  return note ? { diffs, note } : { diffs };
}

/**
 * DESIGN §3 flow 1: decide whether a pull_request event concerns the manifests we watch, then post or
 * update the PR's single Slack message. Returns what happened so the caller can log and record it.
 */
export async function handlePullRequestEvent(deps: NoticeDeps, event: PullRequestEvent): Promise<NoticeOutcome> {
  const rule = findRepositoryRule(deps.config.repositories, event.repository.full_name);
  if (!rule) return { outcome: 'skipped', reason: 'repository-not-configured' };
  const pr = pullRequestInfoFromPayload(event.pull_request);
  const existing = await deps.store.getNotice(pr.repository, pr.number);
  const channel = rule.channel ?? deps.config.slack.channel;
  const state = stateOf(pr);
  const publish = { store: deps.store, slack: deps.slack, ...(deps.now ? { now: deps.now } : {}), ...(deps.pollMs ? { pollMs: deps.pollMs } : {}) };

  if (event.action === 'closed') {
    // A closed PR keeps its message, marked merged or closed, without diff buttons.
    if (!existing?.ts) return { outcome: 'skipped', reason: 'no-notice-to-close' };
    return publishNotice(publish, { channel, pr, state, matchedPaths: existing.matchedPaths, matchedPathCount: existing.matchedPathCount, diffs: [] });
  }

  const facts = { action: event.action, draft: pr.draft, labels: pr.labels, ...(event.label ? { eventLabel: event.label.name } : {}) };
  const problem = existing ? scopeProblem(rule.pullRequests, facts) : canStartNotice(rule.pullRequests, facts);
  if (problem) return { outcome: 'skipped', reason: problem };
  // A label or edit on a PR that already has its message changes nothing the message shows.
  if (existing?.ts && !['synchronize', 'reopened', 'ready_for_review', 'opened'].includes(event.action)) {
    return { outcome: 'skipped', reason: 'action-not-watched' };
  }

  const installationId = event.installation?.id;
  if (installationId === undefined) return { outcome: 'skipped', reason: 'no-installation' };
  const client = (await deps.github()).forInstallation(installationId);
  const [owner = '', repo = ''] = pr.repository.split('/');
  const files = await listPullRequestFiles(client, { owner, repo, number: pr.number });
  const matched = pathMatcher(rule.pullRequests.paths)(files.paths);
  if (matched.length === 0 && !existing?.ts) return { outcome: 'skipped', reason: 'no-watched-paths' };

  const result = await publishNotice(publish, {
    channel,
    pr,
    state,
    matchedPaths: matched.slice(0, PATHS_SHOWN),
    matchedPathCount: matched.length,
    ...diffButtons(rule, pr),
  });

  if (result.outcome === 'updated' && result.headMoved && existing) {
    const before = existing.headSha.slice(0, 7);
    const after = pr.headSha.slice(0, 7);
    await deps.slack.postMessage(
      contextMessage(result.channel, result.ts, [`New commits pushed to ${pr.repository}#${pr.number}: \`${before}\` → \`${after}\`. Earlier diffs describe \`${before}\`; run Flux diff again.`]),
    );
  }
  const headIsNew = result.outcome === 'posted' || result.headMoved;
  const autoDiffs = rule.pullRequests.autoDiff && headIsNew && state === 'open' ? await queueAutoDiffs(deps, rule, pr, result) : 0;
  logger.info('pull request notice published', { repository: pr.repository, number: pr.number, outcome: result.outcome, matched: matched.length, filesTruncated: files.truncated, autoDiffs });
  return result;
}
