import * as z from '../../core/validation';
import { RISK_FLAG_IDS } from '../../core/config';

/**
 * The stored outcome of a diff job, read back leniently: jobs stored before a field existed lack it.
 */
const storedOutcomeSchema = z.object({
  result: z.optional(z.string()),
  headSha: z.optional(z.string()),
  url: z.optional(z.string()),
  path: z.optional(z.string()),
  diffedSha: z.optional(z.string()),
  diffed: z.optional(z.enum(['merge', 'head'])),
  behindBy: z.optional(z.number()),
  baseRef: z.optional(z.string()),
  baseSha: z.optional(z.string()),
  appliedRevision: z.optional(z.string()),
  kustomizationFile: z.optional(z.string()),
  fluxVersion: z.optional(z.string()),
  warnings: z.optional(z.array(z.string())),
  notes: z.optional(z.array(z.string())),
  uncovered: z.optional(z.array(z.string())),
  uncoveredCount: z.optional(z.number()),
  substitutedSecrets: z.optional(z.boolean()),
  privateRepository: z.optional(z.boolean()),
  /** Risk flags read from the whole report before it was cut to store (lib/flows/diffs/risk-flags.ts). */
  flags: z.optional(z.array(z.object({ id: z.enum(RISK_FLAG_IDS), label: z.string(), objects: z.array(z.string()), details: z.array(z.string()) }))),
  /** The flags the policy said need an admin to approve, for this repository and cluster when it ran. */
  guarded: z.optional(z.array(z.enum(RISK_FLAG_IDS))),
  /** The content of created objects, masked (created-objects.ts). */
  created: z.optional(z.array(z.object({ object: z.string(), yaml: z.string() }))),
  counts: z.optional(z.object({ created: z.number(), drifted: z.number(), deleted: z.number(), skipped: z.number() })),
});
/** What a report and its buttons know of the diff: see DiffContext in run-diff.ts. */
export type StoredDiffOutcome = z.infer<typeof storedOutcomeSchema>;

export function storedDiffOutcome(outcome: unknown): StoredDiffOutcome {
  const parsed = storedOutcomeSchema.safeParse(outcome ?? {});
  return parsed.success ? parsed.data : {};
}

