/** Nearest rank: the smallest value with at least q of the sample at or below it; NaN for no sample. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

export const median = (values: number[]): number => quantile(values, 0.5);

export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** p50 / p99 / max of a sample, rounded, as the tables print them. */
export function spread(values: number[], digits = 1): { p50: number; p99: number; max: number } {
  return { p50: round(median(values), digits), p99: round(quantile(values, 0.99), digits), max: round(values.length ? Math.max(...values) : NaN, digits) };
}

/**
 * Exactly one post per PR: `lost` PRs have none, `duplicated` counts posts beyond the first. `posts` are
 * message texts; a PR is found by `owner/repo#N` in them (the notice's text).
 */
export function postsPerPullRequest(posts: string[], repository: string, numbers: number[]): { lost: number; duplicated: number; posted: number } {
  const perPr = new Map<number, number>();
  const pattern = new RegExp(`${repository.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#(\\d+)(?!\\d)`);
  for (const text of posts) {
    const match = pattern.exec(text);
    if (match) perPr.set(Number(match[1]), (perPr.get(Number(match[1])) ?? 0) + 1);
  }
  let lost = 0;
  let duplicated = 0;
  for (const n of numbers) {
    const count = perPr.get(n) ?? 0;
    if (count === 0) lost++;
    if (count > 1) duplicated += count - 1;
  }
  return { lost, duplicated, posted: numbers.length - lost };
}
