import type { GithubClient } from './client';
import { GithubError } from './errors';
import { githubMessage, statusOf } from './request-error';

/** GitHub answers 422 when a check run's output summary or text is longer than this. */
export const MAX_CHECK_OUTPUT_CHARS = 65_535;

/** What Fluxline concludes: a diff's four outcomes, and `cancelled` for a run a newer push superseded. */
export type CheckRunConclusion = 'success' | 'neutral' | 'action_required' | 'failure' | 'cancelled';

export interface CheckRunOutput {
  title: string;
  summary: string;
  text?: string;
}

export interface CheckRunUpdate {
  status?: 'queued' | 'in_progress';
  conclusion?: CheckRunConclusion;
  output?: CheckRunOutput;
  /** Buttons on the check run's page (at most 3); a click arrives as `check_run.requested_action`. */
  actions?: { label: string; description: string; identifier: string }[];
}

interface CheckRunRef {
  owner: string;
  repo: string;
}

async function checked<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const status = statusOf(err);
    if (status === 403) throw new GithubError(`GitHub refused to ${what}: the Fluxline GitHub App needs the "Checks: write" permission (${githubMessage(err) ?? 'forbidden'})`, { cause: err });
    if (status === 422) throw new GithubError(`GitHub refused to ${what}: ${githubMessage(err) ?? 'Unprocessable Entity'}`, { cause: err });
    throw err;
  }
}

/** POST /repos/{owner}/{repo}/check-runs: `external_id` (the job id) lets a retry find the run again. */
export async function createCheckRun(client: GithubClient, ref: CheckRunRef & { name: string; headSha: string; externalId: string } & CheckRunUpdate): Promise<{ id: number; url: string }> {
  const { owner, repo, name, headSha, externalId, ...update } = ref;
  const response = await checked(`create check run ${name}`, () => client.request('POST /repos/{owner}/{repo}/check-runs', { owner, repo, name, head_sha: headSha, external_id: externalId, ...update }));
  return { id: Number(response.data.id), url: response.data.html_url ?? '' };
}

/** PATCH /repos/{owner}/{repo}/check-runs/{id}: a conclusion completes the run. */
export async function updateCheckRun(client: GithubClient, ref: CheckRunRef & { id: number } & CheckRunUpdate): Promise<void> {
  const { owner, repo, id, ...update } = ref;
  await checked(`update check run ${id}`, () => client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { owner, repo, check_run_id: id, ...update }));
}

/** The run made for this job on this SHA, if an earlier attempt created it: GET …/commits/{sha}/check-runs by name. */
export async function findCheckRun(client: GithubClient, ref: CheckRunRef & { name: string; headSha: string; externalId: string }): Promise<{ id: number; url: string } | undefined> {
  const response = await checked(`list check runs of ${ref.headSha}`, () => client.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner: ref.owner, repo: ref.repo, ref: ref.headSha, check_name: ref.name, filter: 'all', per_page: 100 }));
  const run = response.data.check_runs.find((r) => r.external_id === ref.externalId);
  return run ? { id: Number(run.id), url: run.html_url ?? '' } : undefined;
}

export interface ListedCheckRun {
  id: number;
  name: string;
  status: string;
  externalId: string;
}

/** The check runs on a SHA (the first 100; a PR's targets are far fewer), optionally only those of one App. */
export async function listCheckRuns(client: GithubClient, ref: CheckRunRef & { headSha: string; appId?: number }): Promise<ListedCheckRun[]> {
  const response = await checked(`list check runs of ${ref.headSha}`, () =>
    client.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { owner: ref.owner, repo: ref.repo, ref: ref.headSha, filter: 'latest', per_page: 100, ...(ref.appId !== undefined ? { app_id: ref.appId } : {}) }),
  );
  return response.data.check_runs.map((run) => ({ id: Number(run.id), name: run.name, status: run.status, externalId: run.external_id ?? '' }));
}
