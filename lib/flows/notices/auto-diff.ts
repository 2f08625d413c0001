import type { DiffTarget, RepositoryRule } from '../../core/config';
// The module, not the lib/flows/diffs barrel: that one brings the worker's diff runner (and the Kubernetes
// client) into the github-webhook bundle.
import { AUTO_DIFF_REQUESTER } from '../diffs/requester';
import type { PullRequestInfo } from '../../adapters/github';
import { requestDiff, type RequestDiffDeps } from '../interactions';
import { logger } from '../../core/log';
import { contextMessage, inlineCode, type SlackPort } from '../../adapters/slack';
import type { Store } from '../../adapters/store';
import { postOnce } from '../effects';

/**
 * `autoDiff: true`: every diff target of the PR (configured and found, as its notice offers them) is queued into the notice's thread, as if its button had
 * been clicked. The request key is the head SHA, so a redelivered or racing delivery queues nothing twice,
 * and each push gets its own diffs. A fork PR's code runs only under `forks: diff` (no admin clicked).
 */
export async function queueAutoDiffs(deps: RequestDiffDeps & { slack: SlackPort; store: Store }, rule: RepositoryRule, pr: PullRequestInfo, notice: { channel: string; ts: string }, targets: readonly DiffTarget[]): Promise<number> {
  if (pr.fromFork && rule.pullRequests.forks !== 'diff') {
    await postOnce(deps, `autodiff:${pr.repository}#${pr.number}@${pr.headSha}:fork`, contextMessage(notice.channel, notice.ts, [`autoDiff does not run fork PRs under \`forks: ${rule.pullRequests.forks}\`: use the Flux diff buttons.`]));
    return 0;
  }
  let queued = 0;
  for (const { kustomization, cluster } of targets) {
    const result = await requestDiff(deps, {
      requestKey: `auto:${pr.repository}#${pr.number}@${pr.headSha}:${kustomization}@${cluster}`,
      user: AUTO_DIFF_REQUESTER,
      channel: notice.channel,
      threadTs: notice.ts,
      repository: pr.repository,
      number: pr.number,
      kustomization,
      cluster,
      headSha: pr.headSha,
    });
    if (result.status === 'queued') queued += result.created ? 1 : 0;
    else if (result.status === 'refused') {
      await postOnce(deps, `autodiff:${pr.repository}#${pr.number}@${pr.headSha}:${kustomization}@${cluster}`, contextMessage(notice.channel, notice.ts, [`autoDiff of ${inlineCode(kustomization)} on ${inlineCode(cluster)} skipped: ${result.reason}`]));
    } else logger.info('autoDiff already running for this target', { kustomization, cluster, jobId: result.jobId });
  }
  return queued;
}
