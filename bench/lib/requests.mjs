// Signed, realistic API Gateway (HTTP API, payload 2.0) events for the bench, in plain JavaScript so the
// bench's child processes build them without a TypeScript loader. The shapes are those of
// test/helpers/ (github-payloads.ts, slack-requests.ts, api-gateway.ts); the parent passes a template
// (a real pull_request payload, a real block_actions payload) and each request changes only what must
// differ: the PR number, the delivery id, the click's timestamps, the signature.
import { createHmac, randomUUID } from 'node:crypto';

function apiGatewayEvent(path, body, headers, sourceIp) {
  return {
    version: '2.0',
    routeKey: `POST ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: `POST ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** The body and headers GitHub sends for a pull_request.opened delivery of PR `number`. */
export function githubDelivery(template, { secret, number, deliveryId = randomUUID() }) {
  const payload = { ...template, number, pull_request: { ...template.pull_request, number, html_url: `https://github.com/${template.repository.full_name}/pull/${number}` } };
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/a1b2c3d',
    'x-github-event': 'pull_request',
    'x-github-delivery': deliveryId,
    'x-github-hook-installation-target-type': 'integration',
    'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
  };
  return { body, headers };
}

export function githubEvent(template, options) {
  const { body, headers } = githubDelivery(template, options);
  return apiGatewayEvent('/github/webhook', body, headers, '192.30.252.1');
}

/** The ts of PR `number`'s notice in the bench's fake Slack (the parent puts it there). */
export const noticeTs = (number) => `1768469400.${String(number).padStart(6, '0')}`;

/** A Flux diff click on PR `number`'s notice, signed with Slack's v0 scheme at the current time. */
export function slackClickEvent(template, { secret, number, kustomization = 'flux-system/apps', cluster = 'stage', messageTs = noticeTs(number) }) {
  const actionTs = `${(Date.now() / 1000).toFixed(6)}${Math.floor(Math.random() * 1000)}`;
  const value = JSON.stringify({ v: 1, type: 'flux-diff', repository: 'acme/fleet', number, kustomization, cluster });
  const payload = {
    ...template,
    container: { ...template.container, message_ts: messageTs },
    message: { ...template.message, ts: messageTs },
    trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
    actions: [{ ...template.actions[0], value, action_ts: actionTs }],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  };
  return apiGatewayEvent('/slack/interactions', body, headers, '3.5.140.2');
}

/** One request of `kind` ('github' or 'slack') for PR `number`, from the spec the parent wrote. */
export function requestFor(spec, number) {
  return spec.kind === 'github' ? githubEvent(spec.template, { secret: spec.secret, number }) : slackClickEvent(spec.template, { secret: spec.secret, number });
}

/** A Lambda context good enough for the handlers (Bolt and Probot read nothing from it). */
export const lambdaContext = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:bench',
  memoryLimitInMB: '512',
  awsRequestId: 'bench',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
  done() {},
  fail() {},
  succeed() {},
};
