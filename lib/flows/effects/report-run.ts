import type { Store } from '../../adapters/store';

/**
 * One run of a job's report (lib/flows/jobs/run-job.ts), as its posts see it (issue #20: two DynamoDB round
 * trips fewer on every job). The report's own ledger entry is written, with the outcome it tells, before
 * the report runs, and a report's posts are made only inside such a run; so:
 *
 * - On the report's first run (its entry was new), no post of it can have been made before: a post needs
 *   no intent of its own. Should this run die after posting, the next run finds the report `intended`,
 *   and looks in Slack for each post it has no result of, since the report's intent (`earlierSince`).
 * - Each post's result is kept here and written with the report's result, in the same round trip, once
 *   the report ran to its end (or when it failed part-way, before the failure is thrown): a result is
 *   only ever written after its effect was made, so whichever of these writes lands, nothing is made twice.
 */
export interface ReportRun {
  /** When the report's intent was first recorded, if an earlier run may have made some of its posts; unset on its first run. */
  earlierSince?: Date;
  /** The results of the effects this run made, by effect id, written with the report's own result. */
  results: Map<string, Record<string, unknown>>;
}

/** A report run after the report's ledger entry answered `state`: first when it was new. */
export function reportRunAfter(before: { state: 'new' } | { state: 'intended'; intentAt: Date }): ReportRun {
  return { ...(before.state === 'intended' ? { earlierSince: before.intentAt } : {}), results: new Map() };
}

/** The ledger writes that record what `run` made; started together, each on its own. */
export function recordRunResults(store: Pick<Store, 'completeEffect'>, run: ReportRun, now: Date): Promise<void>[] {
  return [...run.results].map(([id, result]) => store.completeEffect(id, result, now));
}
