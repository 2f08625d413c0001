export class JobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobError';
  }
}

/** The queue refused the job; the job is marked failed so the requester hears about it. */
export class EnqueueFailed extends JobError {
  constructor(jobId: string, options?: ErrorOptions) {
    super(`job ${jobId} could not be queued; try again in a minute`, options);
    this.name = 'EnqueueFailed';
  }
}

/** An SQS message that does not carry a job id: nothing to run, and retrying cannot fix it. */
export class MalformedJobMessage extends JobError {
  constructor(reason: string) {
    super(`jobs queue message is not a Fluxline job: ${reason}`);
    this.name = 'MalformedJobMessage';
  }
}

/**
 * The job ran and its requester was told, but its item could not record the outcome (DynamoDB failed the
 * last write). The message fails so that its redelivery records what was told; nothing runs again.
 */
export class JobNotRecorded extends JobError {
  constructor(jobId: string, status: string, options?: ErrorOptions) {
    super(`job ${jobId} ${status}, but its outcome could not be recorded; the redelivery records it`, options);
    this.name = 'JobNotRecorded';
  }
}
