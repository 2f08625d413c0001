import { setTimeout as sleep } from 'node:timers/promises';
import type { PullRequestInfo } from '../../adapters/github';
import { logger } from '../../core/log';
import { prNoticeMessage, type PrNoticeView, type SlackPort } from '../../adapters/slack';
import { ConcurrentUpdate, type PrNotice, type Store } from '../../adapters/store';
import { NoticeInProgress } from './errors';
import { postOnce } from '../effects';

/** The ledger's name for a PR's one notice. */
const noticeEffect = (repository: string, number: number) => `notice:${repository}#${number}`;

export interface PublishDeps {
  store: Store;
  slack: SlackPort;
  now?: () => Date;
  /** How long to wait for another delivery that is posting this PR's first message. */
  pollMs?: number;
}

export interface NoticeContent {
  channel: string;
  pr: PullRequestInfo;
  state: PrNotice['state'];
  matchedPaths: string[];
  matchedPathCount: number;
  diffs: PrNoticeView['diffs'];
  /** Extra line shown under the title, e.g. why diff buttons are absent for a fork. */
  note?: string;
  /** Stored for the diffs: changed files some target reads (discover-targets.ts). */
  readByTargets?: string[];
  /** Stored for the diffs: the size of the repository's files (discover-targets.ts). */
  repositoryBytes?: number;
  /** Stored for the diffs: the App installation the delivery came from. */
  installationId?: number;
}

export type PublishResult =
  | { outcome: 'posted'; channel: string; ts: string }
  | { outcome: 'updated'; channel: string; ts: string; headMoved: boolean };

/** A first post that has not recorded its ts after this long is presumed dead and may be taken over. */
const STALE_PLACEHOLDER_MS = 30_000;
const MAX_ATTEMPTS = 5;

function viewOf({ pr, state, matchedPaths, matchedPathCount, diffs, note }: NoticeContent): PrNoticeView {
  // The PR's own fields as they are; `state` is the notice's (draft, merged), not GitHub's open/closed.
  return { ...pr, state, matchedPaths, matchedPathCount, diffs, ...(note ? { note } : {}) };
}

/**
 * Posts the PR's one Slack message, or updates it in place. Writes are conditional on the notice's
 * version, so two deliveries for the same PR arriving together still produce one message: the loser
 * re-reads and updates instead of posting. `lastRead` is the notice as the caller read it (undefined:
 * none yet): the first attempt starts from it instead of reading again, and a stale read costs a retry.
 */
export async function publishNotice(deps: PublishDeps, content: NoticeContent, lastRead?: { notice: PrNotice | undefined }): Promise<PublishResult> {
  const now = deps.now ?? (() => new Date());
  const { repository, number } = content.pr;
  const message = prNoticeMessage(viewOf(content));

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const existing = attempt === 1 && lastRead ? lastRead.notice : await deps.store.getNotice(repository, number);
    const record = {
      repository,
      number,
      headSha: content.pr.headSha,
      state: content.state,
      title: content.pr.title,
      diffs: content.diffs.map(({ kustomization, cluster }) => ({ kustomization, cluster })),
      matchedPaths: content.matchedPaths,
      matchedPathCount: content.matchedPathCount,
      ...(content.readByTargets ? { readByTargets: content.readByTargets } : {}),
      ...(content.repositoryBytes !== undefined ? { repositoryBytes: content.repositoryBytes } : {}),
      ...(content.installationId !== undefined ? { installationId: content.installationId } : {}),
      updatedAt: now().toISOString(),
      ...(content.pr.updatedAt ? { prUpdatedAt: content.pr.updatedAt } : {}),
    };
    try {
      if (existing?.ts) {
        const updated = await deps.slack.updateMessage({ channel: existing.channel, ts: existing.ts, ...message });
        await deps.store.saveNotice({ ...record, channel: existing.channel, ts: existing.ts }, existing.version);
        return { outcome: 'updated', channel: existing.channel, ts: updated.ts, headMoved: existing.headSha !== content.pr.headSha };
      }
      if (existing && now().getTime() - Date.parse(existing.updatedAt) < STALE_PLACEHOLDER_MS) {
        // Another delivery claimed the first post a moment ago; give it time to record its ts.
        await sleep(deps.pollMs ?? 250);
        continue;
      }
      // Claim the first post before making it, so only one delivery posts.
      const claim = await deps.store.saveNotice({ ...record, channel: content.channel }, existing?.version ?? 0);
      // Made once per PR, ever (DESIGN §3 "Exactly once, visibly"): an attempt whose answer was lost left
      // its intent in the ledger, and this one finds that message instead of posting a second notice.
      const posted = await postOnce({ store: deps.store, slack: deps.slack }, noticeEffect(repository, number), { channel: content.channel, ...message }).catch(async (err: unknown) => {
        await deps.store.deleteNotice(repository, number, claim.version).catch((cleanup: unknown) =>
          logger.warn('could not drop the notice claim after a failed post; it expires in 30 s', { repository, number, error: cleanup as Error }),
        );
        throw err;
      });
      // A message an earlier attempt posted shows what that attempt knew: bring it up to date.
      if (posted.how !== 'posted') await deps.slack.updateMessage({ channel: posted.channel, ts: posted.ts, ...message });
      await deps.store.saveNotice({ ...record, channel: posted.channel, ts: posted.ts }, claim.version);
      return { outcome: 'posted', channel: posted.channel, ts: posted.ts };
    } catch (err) {
      if (!(err instanceof ConcurrentUpdate)) throw err;
      logger.info('notice changed concurrently; re-reading', { repository, number, attempt });
    }
  }
  throw new NoticeInProgress(repository, number);
}
