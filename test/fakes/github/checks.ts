import type { Reply } from '../router';
import { lower, notFound, validationFailed, type GithubRooms, type Json } from './shared';

/**
 * Check runs (REST "Checks"): create, update, and list for a ref, as GitHub validates them: `status`
 * among queued/in_progress/completed (plus the Actions-only waiting/requested/pending), a `conclusion`
 * required with `completed` (and implying it), output title/summary required together, and summary and
 * text each at most 65,535 characters (GitHub answers 422 past it).
 */

export interface FakeCheckRun {
  id: number;
  repository: string;
  name: string;
  headSha: string;
  externalId?: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  actions: Json[];
  /** Every status the run went through, in order: the lifecycle tests assert on it. */
  history: string[];
}

const STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'];
const CONCLUSIONS = ['action_required', 'cancelled', 'failure', 'neutral', 'success', 'skipped', 'stale', 'timed_out'];
export const MAX_CHECK_OUTPUT = 65_535;

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

function problem(body: Json, creating: boolean): Reply | undefined {
  if (creating && (typeof body.name !== 'string' || body.name === '')) return validationFailed('CheckRun', 'name', 'missing_field');
  if (creating && (typeof body.head_sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.head_sha))) return validationFailed('CheckRun', 'head_sha', 'invalid');
  if (body.status !== undefined && !STATUSES.includes(text(body.status))) return validationFailed('CheckRun', 'status', 'invalid', `status is not included in the list`);
  if (body.conclusion !== undefined && !CONCLUSIONS.includes(text(body.conclusion))) return validationFailed('CheckRun', 'conclusion', 'invalid', `conclusion is not included in the list`);
  if (body.status === 'completed' && body.conclusion === undefined) return validationFailed('CheckRun', 'conclusion', 'missing_field', 'conclusion is required when status is completed');
  const output = body.output as Json | undefined;
  if (output !== undefined) {
    if (typeof output.title !== 'string' || typeof output.summary !== 'string') return validationFailed('CheckRun', 'output', 'missing_field', 'output requires title and summary');
    for (const field of ['summary', 'text'] as const) {
      const value = output[field];
      if (typeof value === 'string' && Array.from(value).length > MAX_CHECK_OUTPUT) return validationFailed('CheckRun', `output.${field}`, 'custom', `${field} is too long (maximum is ${MAX_CHECK_OUTPUT} characters)`);
    }
  }
  const actions = body.actions as Json[] | undefined;
  if (actions !== undefined && (!Array.isArray(actions) || actions.length > 3)) return validationFailed('CheckRun', 'actions', 'invalid', 'at most 3 actions');
  return undefined;
}

export function mountCheckRuns(rooms: GithubRooms): { checkRuns: FakeCheckRun[] } {
  const checkRuns: FakeCheckRun[] = [];
  const shape = (run: FakeCheckRun): Json => ({
    id: run.id,
    name: run.name,
    head_sha: run.headSha,
    external_id: run.externalId ?? '',
    status: run.status,
    conclusion: run.conclusion,
    html_url: `https://github.com/${run.repository}/runs/${run.id}`,
    output: { title: run.output.title ?? null, summary: run.output.summary ?? null, text: run.output.text ?? null, annotations_count: 0 },
  });
  const apply = (run: FakeCheckRun, body: Json) => {
    if (body.conclusion !== undefined) {
      // GitHub: "providing conclusion will automatically set the status parameter to completed".
      run.conclusion = text(body.conclusion);
      run.status = 'completed';
    } else if (body.status !== undefined) run.status = text(body.status);
    if (body.output !== undefined) run.output = body.output as FakeCheckRun['output'];
    if (Array.isArray(body.actions)) run.actions = body.actions as Json[];
    run.history.push(run.status);
  };

  rooms.repo('POST', '/check-runs', ({ repository, body }) => {
    const invalid = problem(body, true);
    if (invalid) return invalid;
    const run: FakeCheckRun = { id: rooms.ids.next++, repository, name: String(body.name), headSha: String(body.head_sha), status: 'queued', conclusion: null, output: {}, actions: [], history: [] };
    if (typeof body.external_id === 'string') run.externalId = body.external_id;
    apply(run, body);
    checkRuns.push(run);
    return { status: 201, body: shape(run) };
  });

  rooms.repo('PATCH', '/check-runs/:id(\\d+)', ({ repository, params, body }) => {
    const run = checkRuns.find((r) => r.id === Number(params.id) && lower(r.repository) === lower(repository));
    if (!run) return notFound();
    const invalid = problem(body, false);
    if (invalid) return invalid;
    apply(run, body);
    return { status: 200, body: shape(run) };
  });

  rooms.repo('GET', '/commits/:ref/check-runs', ({ repository, params, url }) => {
    const name = url.searchParams.get('check_name');
    const runs = checkRuns.filter((r) => lower(r.repository) === lower(repository) && r.headSha === params.ref && (!name || r.name === name));
    return { status: 200, body: { total_count: runs.length, check_runs: runs.map(shape) } };
  });

  return { checkRuns };
}
