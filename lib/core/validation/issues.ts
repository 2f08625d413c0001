import type { core } from 'zod/mini';

/** One schema problem as users and logs read it: `path.to.key: message`, `(root)` for the value itself. */
export function describeIssue(issue: core.$ZodIssue): string {
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}

/** The first problem a refused value has: enough to say what is wrong with a payload, not a whole report. */
export function firstIssue(error: core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? describeIssue(issue) : 'invalid';
}
