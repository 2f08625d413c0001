import { z } from 'zod';

/** The part of GitHub's `pull_request` webhook payload the notice flow reads; the PR itself is parsed by lib/github. */
export const pullRequestEventSchema = z.object({
  action: z.string(),
  number: z.number().int().positive(),
  pull_request: z.record(z.string(), z.unknown()),
  repository: z.object({ full_name: z.string() }),
  installation: z.object({ id: z.number().int() }).optional(),
  label: z.object({ name: z.string() }).optional(),
  sender: z.object({ login: z.string() }).optional(),
  before: z.string().optional(),
  after: z.string().optional(),
});

export type PullRequestEvent = z.infer<typeof pullRequestEventSchema>;
