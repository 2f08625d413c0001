/**
 * The job kinds this capability runs in the worker. In a file of its own because the Slack function
 * queues them and imports this file, not index.ts, to keep the Kubernetes client out of its bundle.
 */
export const VERSIONS_JOB_KINDS = { list: 'list', environmentDiff: 'diff-environment' } as const;
