// The ack path (DESIGN §3 flow 0). Ingress functions import the accept* files directly: this index also
// carries the consumers' decoders, which ingress bundles need not load.
export { acceptGithubDelivery, MAX_WEBHOOK_BYTES, HANDLED_GITHUB_EVENTS, type GithubIngressDeps, type GithubRequest } from './accept-github-delivery';
export { acceptSlackRequest, MAX_SLACK_BYTES, type SlackIngressDeps, type SlackRequest } from './accept-slack-request';
export { acceptSlackEvent, type SlackEventRequest } from './accept-slack-event';
export { githubDeliveryMessage, essentialPullRequestFields, SQS_BODY_LIMIT, type GithubDelivery } from './github-delivery-message';
export { slackRequestMessage, type SlackRequestMessage } from './slack-request-message';
export { decodeGithubDelivery, decodeSlackRequest, MalformedQueueMessage } from './decode-messages';
export { RequestTooLarge, NotQueued } from './errors';
