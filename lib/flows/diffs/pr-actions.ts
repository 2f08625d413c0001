import { approvePullRequest, getPullRequest, upsertStickyComment, type GithubApp } from '../../adapters/github';
import { diffComment } from './diff-comment';
import { flagsLine } from './risk-flags';
import { displayReport } from './report-message';
import { escapeGithubText, githubCodeSpan } from '../../core/sanitise';
import type { Config } from '../../core/config';
import { isAdmin } from '../interactions';
import { storedDiffOutcome, type StoredDiffOutcome } from './stored-outcome';
import type { JobRecord, Store } from '../../adapters/store';
import { HeadMoved, ReportUnavailable, SecretsOnPublicRepository } from './errors';
import { diffInputsSchema } from './diff-job';

export interface PrActionDeps {
  store: Store;
  github: () => Promise<GithubApp>;
  config: Config;
}

type DiffJobOutcome = StoredDiffOutcome & { headSha: string };

async function loadDiffJob(store: Store, diffJobId: string): Promise<{ job: JobRecord; outcome: DiffJobOutcome; inputs: ReturnType<typeof diffInputsSchema.parse> }> {
  const job = await store.getJob(diffJobId);
  if (!job || job.kind !== 'diff') throw new ReportUnavailable(diffJobId, 'is not stored');
  if (job.status !== 'succeeded' || !job.outcome) throw new ReportUnavailable(diffJobId, `did not succeed (${job.status})`);
  const outcome = storedDiffOutcome(job.outcome);
  return { job, outcome: { ...outcome, headSha: outcome.headSha ?? '' }, inputs: diffInputsSchema.parse(job.inputs) };
}

/** The hidden marker that finds this Kustomization's comment again on the PR. */
export function diffCommentMarker(cluster: string, kustomization: string): string {
  return `<!-- fluxline:diff:${cluster}:${kustomization} -->`;
}

/** DESIGN §3 flow 3: one sticky comment per Kustomization and cluster, updated in place. */
export async function postDiffToPullRequest(deps: PrActionDeps, diffJobId: string, requester: { user: string; onGithub: string }): Promise<{ url: string; created: boolean }> {
  const { outcome, inputs } = await loadDiffJob(deps.store, diffJobId);
  // Masked values still say where a secret sits and how it changed; on a public PR that is for an admin to decide.
  if (outcome.substitutedSecrets && !outcome.privateRepository && !isAdmin(deps.config, requester.user)) throw new SecretsOnPublicRepository(inputs.repository);
  const result = await deps.store.getJobResult(diffJobId);
  if (!result) throw new ReportUnavailable(diffJobId, 'has no stored report');
  const counts = outcome.counts;
  const headline =
    outcome.result === 'no-changes'
      ? (outcome.uncoveredCount ?? 0) > 0
        ? `No changes in what this diff reads: ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)} matches the live cluster, but ${outcome.uncoveredCount} changed files are not covered.`
        : `No changes: ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)} matches the live cluster.`
      : `${counts?.created ?? 0} created · ${counts?.drifted ?? 0} changed · ${counts?.deleted ?? 0} deleted`;
  const marker = diffCommentMarker(inputs.cluster, inputs.kustomization);
  const body = diffComment({
    marker,
    title: `Flux diff of ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)}`,
    headline: [`${headline} (at ${outcome.headSha.slice(0, 7)}; posted from ${requester.onGithub})`, ...commentContext(outcome)].join('\n\n'),
    diff: displayReport(result.text),
    storedTruncated: result.truncated,
    ...(outcome.created ? { created: outcome.created } : {}),
  });
  const [owner = '', repo = ''] = inputs.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const comment = await upsertStickyComment(client, { owner, repo, number: inputs.number, marker, body });
  return { url: comment.url, created: comment.created };
}

/** The comment's record of what was compared and what to watch for, outside text escaped. */
function commentContext(outcome: StoredDiffOutcome): string[] {
  const lines: string[] = [];
  if (outcome.diffedSha) {
    const what = outcome.diffed === 'merge' ? `the test merge ${githubCodeSpan(outcome.diffedSha.slice(0, 7))} into ${githubCodeSpan(outcome.baseRef ?? 'base')}` : `${githubCodeSpan(outcome.diffedSha.slice(0, 7))} (head, ${outcome.behindBy ?? 0} commits behind base)`;
    const where = [outcome.path ? ` at path ${githubCodeSpan(outcome.path)}` : '', outcome.kustomizationFile ? ` with the Kustomization from ${githubCodeSpan(outcome.kustomizationFile)}` : ' with the live Kustomization spec'].join('');
    lines.push(`Diffed ${what}${where}${outcome.fluxVersion ? ` with flux ${githubCodeSpan(outcome.fluxVersion)}` : ''} against the live cluster; cluster applied ${githubCodeSpan(outcome.appliedRevision ?? 'nothing yet')}, base is ${githubCodeSpan((outcome.baseSha ?? '').slice(0, 7))}.`);
  }
  const flags = outcome.flags ?? [];
  if (flags.length > 0) {
    const guarded = new Set(outcome.guarded ?? []);
    const details = flags.flatMap((flag) => flag.details).map((d) => `\n> - ${escapeGithubText(d)}`).join('');
    lines.push(`> [!${guarded.size > 0 ? 'CAUTION' : 'IMPORTANT'}]\n> **${escapeGithubText(flagsLine(flags, guarded))}**${details}`);
  }
  lines.push(...(outcome.warnings ?? []).map((w) => `> [!WARNING]\n> ${escapeGithubText(w)}`));
  if ((outcome.notes ?? []).length > 0) lines.push((outcome.notes ?? []).map((n) => `- ${escapeGithubText(n)}`).join('\n'));
  return lines;
}

/**
 * Approves the PR in the reviews API on behalf of an authorized Slack user, naming them, the
 * Kustomization, the cluster and the SHA that was diffed. Refuses when the head moved since.
 */
export async function approveFromDiff(deps: PrActionDeps, diffJobId: string, approver: string): Promise<{ url: string; flags?: string }> {
  const { outcome, inputs } = await loadDiffJob(deps.store, diffJobId);
  const [owner = '', repo = ''] = inputs.repository.split('/');
  const client = await (await deps.github()).forRepository(owner, repo);
  const pr = await getPullRequest(client, { owner, repo, number: inputs.number });
  if (pr.headSha !== outcome.headSha) throw new HeadMoved(outcome.headSha, pr.headSha);
  const diffed = outcome.diffed === 'merge' && outcome.diffedSha ? ` (test merge ${outcome.diffedSha})` : '';
  // The warnings the approver confirmed in Slack go on the record too.
  const warnings = (outcome.warnings ?? []).map((w) => `\n\n> [!WARNING]\n> ${escapeGithubText(w)}`).join('');
  // The flags the approval covers go on the review and, through the job's outcome, into the audit log.
  const flags = outcome.flags ?? [];
  const covered = flags.length > 0 ? flagsLine(flags, new Set(outcome.guarded ?? [])) : '';
  const flagNote = covered ? `\n\n> [!IMPORTANT]\n> Risk flags: ${escapeGithubText(covered)}` : '';
  const body = `Approved from Slack by ${approver} after Fluxline's \`flux diff\` of ${githubCodeSpan(inputs.kustomization)} on ${githubCodeSpan(inputs.cluster)} at ${outcome.headSha}${diffed}.${flagNote}${warnings}`;
  const review = await approvePullRequest(client, { owner, repo, number: inputs.number, commitId: outcome.headSha, body });
  return covered ? { ...review, flags: covered } : review;
}
