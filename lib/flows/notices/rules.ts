import type { PullRequestRules } from '../../core/config';

/** Why a pull request event produces no notice; logged so an operator can see why nothing was posted. */
export type SkipReason =
  | 'action-not-watched'
  | 'draft'
  | 'excluded-label'
  | 'missing-label'
  | 'no-watched-paths'
  /** Older than the event the PR's message already shows (a late redelivery, or deliveries that crossed). */
  | 'stale-event';

export interface PullRequestFacts {
  action: string;
  draft: boolean;
  labels: string[];
  /** The label this `labeled`/`unlabeled` event is about. */
  eventLabel?: string;
}

/**
 * Whether this event may start a notice for a PR that has none yet. Besides the configured action types,
 * `labeled` brings a PR into scope when a required label arrives (and `ready_for_review` is a type by
 * default), so a PR that was filtered out at `opened` is not lost forever.
 */
export function canStartNotice(rules: PullRequestRules, facts: PullRequestFacts): SkipReason | undefined {
  const typed = (rules.types as string[]).includes(facts.action);
  const labelBringsIntoScope = facts.action === 'labeled' && facts.eventLabel !== undefined && rules.labels.include.includes(facts.eventLabel);
  if (!typed && !labelBringsIntoScope) return 'action-not-watched';
  return scopeProblem(rules, facts);
}

/** Draft and label rules, which hold for new notices and for updates alike. */
export function scopeProblem(rules: PullRequestRules, facts: PullRequestFacts): SkipReason | undefined {
  if (facts.draft && !rules.drafts) return 'draft';
  if (facts.labels.some((label) => rules.labels.exclude.includes(label))) return 'excluded-label';
  if (rules.labels.include.length > 0 && !facts.labels.some((label) => rules.labels.include.includes(label))) return 'missing-label';
  return undefined;
}

export interface PathMatcher {
  (paths: readonly string[]): string[];
}

/** Compiles the include/exclude regexes once; an empty include list watches every path. */
export function pathMatcher(rules: PullRequestRules['paths']): PathMatcher {
  const include = rules.include.map((source) => new RegExp(source));
  const exclude = rules.exclude.map((source) => new RegExp(source));
  return (paths) =>
    paths.filter((path) => (include.length === 0 || include.some((re) => re.test(path))) && !exclude.some((re) => re.test(path)));
}
