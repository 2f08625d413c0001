import * as z from '../../core/validation';
import { MalformedRequest } from '../../core/http';

/** What the rest of Fluxline knows about a pull request; the same for webhook payloads and the REST API. */
export interface PullRequestInfo {
  /** full_name of the base repository: where the PR lives. */
  repository: string;
  number: number;
  title: string;
  /** html_url */
  url: string;
  /** user.login */
  author: string;
  baseRef: string;
  headRef: string;
  /** full_name of the head repository, or '(deleted fork)' when GitHub sends `head.repo: null`. */
  headRepository: string;
  headSha: string;
  /** The head lives in another repository (or in a deleted one): its code is not trusted like ours. */
  fromFork: boolean;
  draft: boolean;
  state: 'open' | 'closed';
  merged: boolean;
  labels: string[];
  /** updated_at: when GitHub last changed the PR; orders deliveries that arrive out of order. */
  updatedAt?: string;
  /**
   * merge_commit_sha: GitHub's test merge of the head into the base (refs/pull/N/merge), when it has one.
   * Only trustworthy with `mergeable: true`: while GitHub recomputes it (`mergeable: null`) it may be stale.
   */
  mergeCommitSha?: string;
  /** true: the test merge is current; false: conflicts; null: GitHub is still computing it. */
  mergeable?: boolean | null;
  /** base.repo.private; undefined when GitHub did not say (then treat as public). */
  privateRepository?: boolean;
}

export const DELETED_FORK = '(deleted fork)';

const repositorySchema = z.object({ full_name: z.string().check(z.minLength(1)) });

// SHA-1 object names, or SHA-256 ones in repositories created with --object-format=sha256.
const shaSchema = z.string().check(z.regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'not a commit SHA'));

const pullRequestSchema = z.object({
  number: z.int().check(z.positive()),
  title: z.string(),
  html_url: z.string().check(z.minLength(1)),
  // GitHub replaces deleted accounts with the "ghost" user, but the REST schema allows null.
  user: z.nullable(z.object({ login: z.string() })),
  state: z.enum(['open', 'closed']),
  // The reviews and review-comment events carry a PR without `merged` (and sometimes `draft`).
  draft: z.optional(z.boolean()),
  merged: z.nullish(z.boolean()),
  merged_at: z.nullish(z.string()),
  labels: z.array(z.object({ name: z.string() })),
  base: z.object({ ref: z.string().check(z.minLength(1)), repo: z.object({ full_name: z.string().check(z.minLength(1)), private: z.optional(z.boolean()) }) }),
  merge_commit_sha: z.nullish(shaSchema),
  mergeable: z.nullish(z.boolean()),
  head: z.object({ ref: z.string().check(z.minLength(1)), sha: shaSchema, repo: z.nullable(repositorySchema) }),
  // Only compared (Date.parse); an unreadable value orders nothing rather than refusing the PR.
  updated_at: z.optional(z.string()),
});

/** `head.sha: not a commit SHA` — the first problem only, on one line, for a 400 answer. */
function firstProblem(error: z.core.$ZodError): string {
  const [issue] = error.issues;
  if (!issue) return 'malformed pull_request';
  const path = issue.path.map(String).join('.');
  return `pull_request${path ? `.${path}` : ''}: ${issue.message.replace(/\s+/g, ' ')}`;
}

/**
 * Parses the `pull_request` object of a webhook payload, or the PR object of the REST API (same shape).
 * Throws MalformedRequest (HTTP 400) naming the first bad field.
 */
export function pullRequestInfoFromPayload(pullRequest: Record<string, unknown>): PullRequestInfo {
  const parsed = pullRequestSchema.safeParse(pullRequest);
  if (!parsed.success) throw new MalformedRequest(firstProblem(parsed.error), { cause: parsed.error });
  const pr = parsed.data;
  const headRepository = pr.head.repo?.full_name ?? DELETED_FORK;
  return {
    repository: pr.base.repo.full_name,
    number: pr.number,
    title: pr.title,
    url: pr.html_url,
    author: pr.user?.login ?? 'ghost',
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    headRepository,
    headSha: pr.head.sha,
    // GitHub owner and repository names are case-insensitive.
    fromFork: pr.head.repo === null || headRepository.toLowerCase() !== pr.base.repo.full_name.toLowerCase(),
    draft: pr.draft ?? false,
    state: pr.state,
    merged: pr.merged ?? Boolean(pr.merged_at),
    labels: pr.labels.map((label) => label.name),
    ...(pr.updated_at ? { updatedAt: pr.updated_at } : {}),
    ...(pr.merge_commit_sha ? { mergeCommitSha: pr.merge_commit_sha } : {}),
    ...(pr.mergeable !== undefined ? { mergeable: pr.mergeable } : {}),
    ...(pr.base.repo.private !== undefined ? { privateRepository: pr.base.repo.private } : {}),
  };
}
