import type { Config } from '../../core/config';
import { enqueueJob, jobIdFor, type JobQueue } from '../jobs';
import type { JobRecord, Store } from '../../adapters/store';
import { channelMayUseCluster, diffTargetRefusal } from './authorize';

export interface RequestDiffDeps {
  config: Config;
  store: Store;
  queue: JobQueue;
  now?: () => Date;
}

export interface DiffAsk {
  /** Identifies this one request, so Slack's retry of it maps to the same job. */
  requestKey: string;
  user: string;
  /** Slack username, shown on GitHub where `<@U…>` means nothing. */
  userName?: string;
  channel: string;
  /** The thread the report goes to (the PR notice), if any. */
  threadTs?: string;
  repository: string;
  number: number;
  kustomization: string;
  cluster: string;
  /** An admin's typed `/flux diff ks` may name a Kustomization that is not in `repositories[].diffs`; a button never. */
  anyKustomization?: boolean;
}

export type DiffAskResult =
  /** `created` is false when this request was seen before (a Slack retry): say nothing twice. */
  | { status: 'queued'; job: JobRecord; created: boolean }
  | { status: 'already-running'; jobId: string }
  | { status: 'refused'; reason: string };

/**
 * Authorizes a diff request and queues it. A Slack retry of the same request finds the same job id; a
 * second click while the same diff is queued or running is told so instead of starting another run.
 */
export async function requestDiff(deps: RequestDiffDeps, ask: DiffAsk): Promise<DiffAskResult> {
  // The channel first: a channel bound elsewhere hears where to go, whatever the target.
  const permission = channelMayUseCluster(deps.config, ask.channel, ask.cluster);
  if (!permission.allowed) return { status: 'refused', reason: permission.reason };
  let notATarget = diffTargetRefusal(deps.config, ask, { anyKustomization: ask.anyKustomization ?? false });
  if (notATarget) {
    // Not configured: the targets the PR's notice found on the clusters, as stored server-side, never as the button says.
    const notice = await deps.store.getNotice(ask.repository, ask.number);
    const open = notice && (notice.state === 'open' || notice.state === 'draft');
    if (open) notATarget = diffTargetRefusal(deps.config, ask, { noticeTargets: notice.diffs });
    if (notATarget) return { status: 'refused', reason: notATarget };
  }
  const now = deps.now?.() ?? new Date();
  const jobId = jobIdFor({ source: 'slack', key: ask.requestKey });
  const subject = `diff:${ask.repository}#${ask.number}:${ask.kustomization}@${ask.cluster}`;
  const existing = await deps.store.getJob(jobId);
  if (existing) return { status: 'queued', job: existing, created: false };
  const active = await deps.store.claimActiveJob(subject, jobId);
  if (!active.claimed) return { status: 'already-running', jobId: active.activeJobId };

  const { job, created } = await enqueueJob(
    { store: deps.store, queue: deps.queue },
    {
      id: jobId,
      kind: 'diff',
      status: 'queued',
      requester: { user: ask.user, ...(ask.userName ? { name: ask.userName } : {}), channel: ask.channel, ...(ask.threadTs ? { threadTs: ask.threadTs } : {}) },
      inputs: {
        repository: ask.repository,
        number: ask.number,
        kustomization: ask.kustomization,
        cluster: ask.cluster,
        ...(permission.impersonate ? { impersonate: permission.impersonate } : {}),
      },
      subject: { repository: ask.repository, number: ask.number },
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      attempts: 0,
    },
  );
  return { status: 'queued', job, created };
}
