// The goals of issues #7 and #15, printed next to the figures as met or MISSED; never asserted.

export const GOALS = {
  /** KB of each ingress bundle (github-webhook, slack). */
  ingressBundleKB: 150,
  /** Fluxline's cold-init median over the peer's, same run. */
  coldRatio: 0.25,
  /** Warm own work p99 of each ingress route, ms. */
  warmOwnP99Ms: 3,
  /** Every burst answer as the sender sees it, ms. */
  burstAnswerMs: 1_000,
  /** Diff overhead outside flux over the in-process gunzip floor of the same tarball, median and max (issue #20). */
  diffFloorRatio: 1.5,
  /** Diff overhead outside flux at 50 MB, median and max, ms. */
  diffOverheadMs: 500,
  /** Worker peak RSS at 50 MB, MB. */
  diffPeakRssMB: 128,
  /** Peak RSS at 200 MB over that at 50 MB: flat, not growing with the tarball. */
  diffRssGrowth: 1.25,
  /** Overhead of a second diff of the same PR after one new commit, same worker process, median and max, ms. */
  diffWarmSecondMs: 150,
} as const;

export type Verdict = 'met' | 'MISSED';

/** A figure that is missing (a phase skipped, NaN) never meets a goal. */
export const atMost = (value: number | undefined, limit: number | undefined): Verdict =>
  value !== undefined && limit !== undefined && Number.isFinite(value) && Number.isFinite(limit) && value <= limit ? 'met' : 'MISSED';

export const allMet = (...verdicts: Verdict[]): Verdict => (verdicts.length > 0 && verdicts.every((v) => v === 'met') ? 'met' : 'MISSED');

/** `goal met (≤ 150 KB)` / `goal MISSED (≤ 150 KB)`. */
export const goalText = (verdict: Verdict, what: string): string => `goal ${verdict} (${what})`;
