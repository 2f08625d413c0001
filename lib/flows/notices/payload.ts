import * as z from '../../core/validation';

/** The part of GitHub's `pull_request` webhook payload the notice flow reads; the PR itself is parsed by lib/adapters/github. */
export const pullRequestEventSchema = z.object({
  action: z.string(),
  number: z.int().check(z.positive()),
  pull_request: z.record(z.string(), z.unknown()),
  repository: z.object({ full_name: z.string() }),
  installation: z.optional(z.object({ id: z.int() })),
  label: z.optional(z.object({ name: z.string() })),
  sender: z.optional(z.object({ login: z.string() })),
  before: z.optional(z.string()),
  after: z.optional(z.string()),
});

export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;
