import type { Config } from '../../core/config';
import { enqueueJob, jobIdFor, type JobQueue } from '../jobs';
import type { JobRecord, Store } from '../../adapters/store';
import { channelMayUseCluster, diffTargetRefusal } from './authorize';
import { bestEffort, queueDiffCheckRun } from '../checks';
import type { GithubApp } from '../../adapters/github';

export interface RequestDiffDeps {
  config: Config;
  store: Store;
  queue: JobQueue;
  /** With it, the job's check run is made `queued` on the PR's head before the job is sent (lib/flows/checks). */
  github?: () => Promise<GithubApp>;
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
  /** The head SHA asked about (auto-diff: the pushed one); by default the head the PR's notice shows. */
  headSha?: string;
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
  // The head the notice shows, for the dedupe and the check run; read when no SHA came with the ask.
  const notice = notATarget || !ask.headSha ? await deps.store.getNotice(ask.repository, ask.number) : undefined;
  if (notATarget) {
    // Not configured: the targets the PR's notice found on the clusters, as stored server-side, never as the button says.
    const open = notice && (notice.state === 'open' || notice.state === 'draft');
    if (open) notATarget = diffTargetRefusal(deps.config, ask, { noticeTargets: notice.diffs });
    if (notATarget) return { status: 'refused', reason: notATarget };
  }
  const headSha = ask.headSha ?? notice?.headSha;
  const now = deps.now?.() ?? new Date();
  const jobId = jobIdFor({ source: 'slack', key: ask.requestKey });
  // One active diff per target and head: a second click on the same head is told it runs; a push gets its own.
  const subject = `diff:${ask.repository}#${ask.number}:${ask.kustomization}@${ask.cluster}${headSha ? `@${headSha}` : ''}`;
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
        ...(headSha ? { headSha } : {}),
      },
      subject: { repository: ask.repository, number: ask.number },
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      attempts: 0,
    },
    { beforeSend: queuedCheckRun(deps, ask, headSha) },
  );
  return { status: 'queued', job, created };
}

/**
 * The `queued` check run, made before the job is sent so the worker finds it (and never races to make a
 * second one). Without GitHub in the deps or a head to put it on (a typed command for a PR with no notice),
 * the worker makes the run when flux starts. GitHub failing here costs the diff nothing.
 */
function queuedCheckRun(deps: RequestDiffDeps, ask: DiffAsk, headSha: string | undefined): ((job: JobRecord) => Promise<void>) | undefined {
  const { github } = deps;
  if (!github || !headSha) return undefined;
  return (job) => bestEffort('make it queued', { jobId: job.id, headSha }, () => queueDiffCheckRun({ store: deps.store, github }, { jobId: job.id, repository: ask.repository, cluster: ask.cluster, kustomization: ask.kustomization, headSha }));
}
