export { jobIdFor } from './job-id';
export { impersonationSchema, clusterInputSchema } from './cluster-inputs';
export { enqueueJob, type EnqueueDeps } from './enqueue';
export { runJob, jobFailureMessage, type JobExecution, type JobReport, type RunJobDeps, type RunJobResult } from './run-job';
export { jobQueueOn, jobMessageBody, type JobQueue } from './queue';
export { processJobBatch, consumeJobMessage, jobIdOfMessage, JOBS_RETRY_POLICY } from './batch';
export { JobError, EnqueueFailed, MalformedJobMessage, JobNotRecorded } from './errors';
