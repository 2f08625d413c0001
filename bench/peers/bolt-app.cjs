// The Bolt equivalent of functions/slack.ts answering a Flux diff click, as small as Bolt's
// "Deploying to AWS Lambda" guide shows it (AwsLambdaReceiver). Same work per block_actions click:
// verify the signature, route the action, queue a job on SQS and post the "queued" reply in the
// thread. What it does not do that Fluxline does: the DynamoDB writes (job record, one active diff per
// target), decoding and authorizing the button against the config.
//
// Env: SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_API_URL, JOBS_QUEUE_URL, AWS_REGION.
'use strict';

const { App, AwsLambdaReceiver } = require('@slack/bolt');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');

const awsLambdaReceiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET });
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver: awsLambdaReceiver,
  // The one override: the Web API of the bench's fake Slack.
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
});
const sqs = new SQSClient({});

app.action(/^fluxline\.flux-diff/, async ({ ack, body, action, client }) => {
  await ack();
  const channel = body.channel.id;
  const threadTs = body.container.thread_ts ?? body.container.message_ts;
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.JOBS_QUEUE_URL, MessageBody: JSON.stringify({ value: action.value, user: body.user.id }) }));
  await client.chat.postMessage({ channel, thread_ts: threadTs, text: `:hourglass_flowing_sand: Diff queued by <@${body.user.id}>.` });
});

module.exports.handler = async (event, context) => {
  const handler = await awsLambdaReceiver.start();
  return handler(event, context);
};
