/** What an out-of-process executor gets unless config.yaml says otherwise. */
export const REMOTE_EXECUTOR_LIMITS = {
  /** A peer that accepts no connection in this long is down. */
  connectTimeoutMs: 3_000,
  /** The whole run; `timeoutSeconds` in config.yaml changes it (the worker's own timeout is 360 s). */
  timeoutMs: 30_000,
  /** More than Slack can show of one message (~10,000 characters), with room for JSON and menus. */
  maxResponseBytes: 256 * 1024,
} as const;
