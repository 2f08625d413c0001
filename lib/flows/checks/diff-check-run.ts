import { createCheckRun, findCheckRun, GithubError, listCheckRuns, updateCheckRun, type CheckRunUpdate, type GithubApp, type GithubClient } from '../../adapters/github';
import type { Store } from '../../adapters/store';
import { logger } from '../../core/log';

export interface DiffCheckDeps {
  store: Pick<Store, 'beginEffect' | 'completeEffect' | 'getEffect'>;
  github: () => Promise<GithubApp>;
}

/** One diff job's check run on one head SHA. */
export interface DiffCheckTarget {
  jobId: string;
  repository: string;
  cluster: string;
  kustomization: string;
  headSha: string;
}

const NAME_PREFIX = 'fluxline / ';

/** Stable per target, so a team can make it a required check in branch protection. */
export function checkRunName(cluster: string, kustomization: string): string {
  return `${NAME_PREFIX}${cluster} / ${kustomization}`;
}

/** The target a check run of ours names; undefined for any other name. Config or the PR's notice still decides whether it may run. */
export function parseCheckRunName(name: string): { cluster: string; kustomization: string } | undefined {
  const match = /^fluxline \/ ([^/\s]+) \/ ([^/\s]+\/[^/\s]+)$/.exec(name);
  return match?.[1] && match[2] ? { cluster: match[1], kustomization: match[2] } : undefined;
}

/** The button GitHub shows on a completed run (`check_run.requested_action` with this identifier); label ≤ 20, description ≤ 40 characters. */
export const RUN_FLUX_DIFF_ACTION = { label: 'Run flux diff', description: 'Diff this PR against the cluster again', identifier: 'run-flux-diff' } as const;

/** The ledger entry of a job's run on a SHA: a job whose PR moved on while it waited writes a second run, on the new head. */
const effectIdOf = (target: DiffCheckTarget) => `check-run:${target.jobId}@${target.headSha}`;

async function clientFor(github: DiffCheckDeps['github'], repository: string): Promise<{ client: GithubClient; owner: string; repo: string }> {
  const [owner = '', repo = ''] = repository.split('/');
  return { client: await (await github()).forRepository(owner, repo), owner, repo };
}

/**
 * The job's run on this SHA, created once whatever the retries (DESIGN §3 "Exactly once, visibly"): the
 * ledger keeps its id, and when an attempt died between creating it and recording it, the run is found
 * again by name and `external_id` (the job id) on the SHA before anything is created. `created` says
 * whether this call made it (with `initial` as its status) or found it, whatever its status now.
 */
async function ensureRun(deps: DiffCheckDeps, target: DiffCheckTarget, initial: Pick<CheckRunUpdate, 'status'>): Promise<{ id: number; created: boolean; client: GithubClient; owner: string; repo: string }> {
  const { client, owner, repo } = await clientFor(deps.github, target.repository);
  const effectId = effectIdOf(target);
  const before = await deps.store.beginEffect(effectId);
  if (before.state === 'done') return { id: Number(before.result.id), created: false, client, owner, repo };
  const ref = { owner, repo, name: checkRunName(target.cluster, target.kustomization), headSha: target.headSha, externalId: target.jobId };
  let found = before.state === 'intended' ? await findCheckRun(client, ref) : undefined;
  let created = false;
  if (!found) {
    // An answer lost after GitHub made the run (a 5xx, a timeout) is not retried blindly: look first.
    try {
      found = await createCheckRun(client, { ...ref, ...initial });
      created = true;
    } catch (err) {
      found = await findCheckRun(client, ref);
      if (!found) throw err;
    }
  }
  await deps.store.completeEffect(effectId, { id: found.id, headSha: target.headSha });
  return { id: found.id, created, client, owner, repo };
}

/** `queued` when the diff job is queued. A run that exists already (a retried request) is left as it is: it may be running. */
export async function queueDiffCheckRun(deps: DiffCheckDeps, target: DiffCheckTarget): Promise<number> {
  return (await ensureRun(deps, target, { status: 'queued' })).id;
}

/** `in_progress` when flux starts: the run made when the job was queued, or a new one when there was none (a typed command, a moved head). */
export async function startDiffCheckRun(deps: DiffCheckDeps, target: DiffCheckTarget): Promise<number> {
  const run = await ensureRun(deps, target, { status: 'in_progress' });
  if (!run.created) await updateCheckRun(run.client, { owner: run.owner, repo: run.repo, id: run.id, status: 'in_progress' });
  return run.id;
}

/** Completes (or updates again: PATCH is idempotent) the job's run on this SHA with its conclusion and output. */
export async function completeDiffCheckRunWith(deps: DiffCheckDeps, target: DiffCheckTarget, update: Required<Pick<CheckRunUpdate, 'conclusion' | 'output'>> & Pick<CheckRunUpdate, 'actions'>): Promise<number> {
  const run = await ensureRun(deps, target, { status: 'in_progress' });
  await updateCheckRun(run.client, { owner: run.owner, repo: run.repo, id: run.id, ...update });
  return run.id;
}

/**
 * The output of a run that a newer head replaced. `cancelled`, as GitHub Actions ends a run that a newer
 * push superseded: reviewers know that grey mark, and on a SHA that is no longer the PR's head it blocks no
 * required check. Summary names the new head, so nobody reads an old run as the answer.
 */
export function supersededOutput(repository: string, newSha: string): Required<Pick<CheckRunUpdate, 'conclusion' | 'output'>> {
  return {
    conclusion: 'cancelled',
    output: { title: `Superseded by ${newSha.slice(0, 7)}`, summary: `New commits were pushed: the PR's head is now [\`${newSha.slice(0, 7)}\`](https://github.com/${repository}/commit/${newSha}). Its diff is in the check run of that commit.` },
  };
}

/** A job queued for `target.headSha` that diffed `newSha`: its queued run says so, if it made one (the ledger knows). */
export async function supersedeJobCheckRun(deps: DiffCheckDeps, target: DiffCheckTarget, newSha: string): Promise<void> {
  const made = await deps.store.getEffect(effectIdOf(target));
  if (made.state !== 'done') return;
  const { client, owner, repo } = await clientFor(deps.github, target.repository);
  await updateCheckRun(client, { owner, repo, id: Number(made.result.id), ...supersededOutput(target.repository, newSha) });
}

/**
 * A step of a run's lifecycle that must not cost the diff: GitHub refusing (no `checks: write` yet, a 422)
 * or failing is logged with what to fix; the next step, or the report, makes or finds the run again.
 */
export async function bestEffort(what: string, context: Record<string, unknown>, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (err) {
    logger.warn(`check run: could not ${what}`, { ...context, refused: err instanceof GithubError, error: err as Error });
  }
}

/**
 * A push supersedes the old head's runs that are still `queued` or `in_progress` (a finished run stays:
 * it is the truth about that commit). Only Fluxline's runs, by App and by name; GitHub shows the PR the new
 * head's runs, made by auto-diff, or by the next click when auto-diff is off.
 */
export async function supersedeCheckRuns(deps: Pick<DiffCheckDeps, 'github'>, ref: { repository: string; oldSha: string; newSha: string; appId?: string }): Promise<number> {
  const { client, owner, repo } = await clientFor(deps.github, ref.repository);
  const appId = Number(ref.appId);
  const runs = await listCheckRuns(client, { owner, repo, headSha: ref.oldSha, ...(Number.isSafeInteger(appId) && appId > 0 ? { appId } : {}) });
  const open = runs.filter((run) => run.name.startsWith(NAME_PREFIX) && run.status !== 'completed');
  for (const run of open) await updateCheckRun(client, { owner, repo, id: run.id, ...supersededOutput(ref.repository, ref.newSha) });
  return open.length;
}
