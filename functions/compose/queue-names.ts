/** The three queues of DESIGN §3 flow 0, and the variable that names each one's SQS URL (unset: in-process). */
export const QUEUE_URL_VARIABLES = {
  /** Verified GitHub deliveries (SQS FIFO, one group per PR) → consumeGithubDelivery. */
  githubDeliveries: 'GITHUB_DELIVERIES_QUEUE_URL',
  /** Verified Slack requests that need more than config (SQS) → consumeSlackRequest. */
  slackRequests: 'SLACK_REQUESTS_QUEUE_URL',
  /** Job ids (SQS) → the worker. */
  jobs: 'JOBS_QUEUE_URL',
} as const;

export type QueueName = keyof typeof QUEUE_URL_VARIABLES;
