import * as z from '../../core/validation';
import type { JobRecord } from '../../adapters/store';

// In a file of its own: the Slack consumer authorizes a "Pin" click with it, without the GitHub editing code.

/** What a stored promote/rollback must hold for one of its markers to be pinned. */
const pinnableSchema = z.object({
  status: z.literal('succeeded'),
  inputs: z.looseObject({ app: z.string(), environment: z.string() }),
  outcome: z.looseObject({
    kind: z.enum(['commit', 'pull-request']),
    path: z.string(),
    branch: z.string(),
    version: z.string(),
    written: z.optional(z.string()),
    automation: z.array(z.looseObject({ policy: z.string(), line: z.int() })),
  }),
});

export interface Pinnable {
  app: string;
  environment: string;
  path: string;
  branch: string;
  /** What is on the line: the tag written. */
  version: string;
  policy: string;
  line: number;
}

/** The marker a stored promote/rollback named, or undefined when that job offers none (any more). */
export function pinnableOf(job: JobRecord | undefined, marker: number): Pinnable | undefined {
  const stored = pinnableSchema.safeParse(job);
  if (!stored.success) return undefined;
  const found = stored.data.outcome.automation[marker];
  if (!found) return undefined;
  const { outcome, inputs } = stored.data;
  return { app: inputs.app, environment: inputs.environment, path: outcome.path, branch: outcome.branch, version: outcome.written ?? outcome.version, policy: found.policy, line: found.line };
}

export const pinTargetOf = (pin: Pick<Pinnable, 'policy' | 'path' | 'environment'>) => `image policy ${pin.policy} in ${pin.path} on ${pin.environment}`;
