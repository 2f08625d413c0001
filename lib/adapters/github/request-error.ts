import * as z from '../../core/validation';

/** The parts of an Octokit RequestError we read; GitHub's error bodies are outside data like any other. */
const requestErrorSchema = z.object({
  status: z.int(),
  response: z.optional(
    z.object({
      headers: z.optional(z.record(z.string(), z.unknown())),
      data: z.unknown(),
    }),
  ),
});

/** GitHub's error body: `{ message, errors?: (string | { message?, code?, field? })[], documentation_url }`. */
const errorBodySchema = z.object({
  message: z.optional(z.string()),
  errors: z.optional(z.array(z.union([z.string(), z.object({ message: z.optional(z.string()), code: z.optional(z.string()), field: z.optional(z.string()) })]))),
});

/** The HTTP status of a failed Octokit request, or undefined for anything else (network errors included). */
export function statusOf(err: unknown): number | undefined {
  const parsed = requestErrorSchema.safeParse(err);
  return parsed.success ? parsed.data.status : undefined;
}

/** A response header of a failed Octokit request (Octokit lower-cases header names). */
export function headerOf(err: unknown, name: string): string | undefined {
  const value = requestErrorSchema.safeParse(err).data?.response?.headers?.[name.toLowerCase()];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * What GitHub said, without Octokit's documentation link: the `errors` entries when there are some
 * (422 puts the useful words there: "Can not approve your own pull request"), else `message`.
 */
export function githubMessage(err: unknown): string | undefined {
  const body = errorBodySchema.safeParse(requestErrorSchema.safeParse(err).data?.response?.data);
  if (!body.success) return undefined;
  const details = (body.data.errors ?? [])
    .map((entry) => (typeof entry === 'string' ? entry : (entry.message ?? [entry.field, entry.code].filter(Boolean).join(' '))))
    .filter((text) => text.length > 0);
  if (details.length > 0) return details.join('; ');
  return body.data.message;
}
