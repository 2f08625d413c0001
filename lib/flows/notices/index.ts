export { receiveDelivery, type Delivery, type DeliveryDeps, type DeliveryOutcome } from './receive-delivery';
export { readPullRequestEvent, publishPullRequestEvent, type NoticeDeps, type NoticeOutcome, type PullRequestReads } from './handle-pull-request';
export { publishNotice, type PublishResult, type NoticeContent } from './publish-notice';
export { canStartNotice, scopeProblem, pathMatcher, type SkipReason, type PullRequestFacts } from './rules';
export { pullRequestEventSchema, type PullRequestEvent } from './payload';
export { NoticeError, NoticeInProgress } from './errors';
