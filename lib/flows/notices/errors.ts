export class NoticeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NoticeError';
  }
}

/** Another delivery kept the PR's notice busy for longer than we wait; GitHub's redelivery will finish it. */
export class NoticeInProgress extends NoticeError {
  constructor(repository: string, number: number) {
    super(`the Slack notice of ${repository}#${number} is being written by another delivery; redeliver this one from the GitHub App's Advanced settings if it does not appear`);
    this.name = 'NoticeInProgress';
  }
}
