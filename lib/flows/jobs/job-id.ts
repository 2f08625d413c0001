import { createHash } from 'node:crypto';

/**
 * A job id derived from the request that asked for it, so a retried request (Slack resends after 3 s
 * with the same trigger or action_ts) maps to the job it already created instead of a second one.
 */
export function jobIdFor({ source, key }: { source: string; key: string }): string {
  return `${source}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}
