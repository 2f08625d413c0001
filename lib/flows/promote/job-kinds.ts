/**
 * The job kinds this capability runs in the worker. In a file of its own because the Slack function
 * queues them and imports this file, not index.ts, to keep the GitHub editing code out of its bundle.
 */
export const PROMOTE_JOB_KINDS = { promote: 'promote', rollback: 'rollback', suspendAutomation: 'suspend-automation', pinPolicy: 'pin-image-policy' } as const;
