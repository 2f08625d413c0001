import { approvePullRequest, getPullRequest, upsertStickyComment, type GithubApp } from '../../adapters/github';
import { diffComment } from './diff-comment';
import { githubCodeSpan } from '../../core/sanitise';
import type { JobRecord, Store } from '../../adapters/store';
import { HeadMoved, ReportUnavailable } from './errors';
import { diffInputsSchema } from './diff-job';

export interface PrActionDeps {
  store: Store;
  github: () => Promise<GithubApp>;
}

interface DiffJobOutcome {
  headSha: string;
  url: string;
  result: string;
  counts?: { created: number; drifted: number; deleted: number; skipped: number };
}

async function loadDiffJob(store: Store, diffJobId: string): Promise<{ job: JobRecord; outcome: DiffJobOutcome; inputs: ReturnType<typeof diffInputsSchema.parse> }> {
  const job = await store.getJob(diffJobId);
  if (!job || job.kind !== 'diff') throw new ReportUnavailable(diffJobId, 'is not stored');
  if (job.status !== 'succeeded' || !job.outcome) throw new ReportUnavailable(diffJobId, `did not succeed (${job.status})`);
  return { job, outcome: job.outcome as unknown as DiffJobOutcome, inputs: diffInputsSchema.parse(job.inputs) };
}

/** The hidden marker that finds this Kustomization's comment again on the PR. */
export function diffCommentMarker(cluster: string, kustomization: string): string {
  return `<!-- fluxline:diff:${cluster}:${kustomization} -->`;
}

/** DESIGN §3 flow 3: one sticky comment per Kustomization and cluster, updated in place. */
export async function postDiffToPullRequest(deps: PrActionDeps, diffJobId: string, requester: string): Promise<{ url: string; created: boolean }> {
  const { outcome, inputs } = await loadDiffJob(deps.store, diffJobId);
  const result = await deps.store.getJobResult(diffJobId);
  if (!result) throw new ReportUnavailable(diffJobId, 'has no stored report');
  const counts = outcome.counts;
  const headline =
    outcome.result === 'no-changes'
      ? `No changes: ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)} matches the live cluster.`
      : `${counts?.created ?? 0} created · ${counts?.drifted ?? 0} drifted · ${counts?.deleted ?? 0} deleted`;
  const marker = diffCommentMarker(inputs.cluster, inputs.kustomization);
  const body = diffComment({
    marker,
    title: `Flux diff of ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)}`,
    headline: `${headline} (at ${outcome.headSha.slice(0, 7)}; posted from ${requester})`,
    diff: result.text,
    storedTruncated: result.truncated,
  });
  const [owner = '', repo = ''] = inputs.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const comment = await upsertStickyComment(client, { owner, repo, number: inputs.number, marker, body });
  return { url: comment.url, created: comment.created };
}

/**
 * Approves the PR in the reviews API on behalf of an authorized Slack user, naming them, the
 * Kustomization, the cluster and the SHA that was diffed. Refuses when the head moved since.
 */
export async function approveFromDiff(deps: PrActionDeps, diffJobId: string, approver: string): Promise<{ url: string }> {
  const { outcome, inputs } = await loadDiffJob(deps.store, diffJobId);
  const [owner = '', repo = ''] = inputs.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const pr = await getPullRequest(client, { owner, repo, number: inputs.number });
  if (pr.headSha !== outcome.headSha) throw new HeadMoved(outcome.headSha, pr.headSha);
  const body = `Approved from Slack by ${approver} after Fluxline's \`flux diff\` of ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)} at ${outcome.headSha}.`;
  return approvePullRequest(client, { owner, repo, number: inputs.number, commitId: outcome.headSha, body });
}
