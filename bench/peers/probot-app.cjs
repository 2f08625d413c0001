// The Probot equivalent of functions/github-webhook.ts, as small as the docs of
// @probot/adapter-aws-lambda-serverless show it. Same work per pull_request.opened delivery: verify the
// signature, route the event, list the PR's files (installation token from the App's key) and post one
// Slack message. What it does not do that Fluxline does: the DynamoDB writes (delivery dedup, the
// notice's version), the config match on paths and the Block Kit notice.
//
// Env: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET (Probot's own), GITHUB_API_URL, SLACK_BOT_TOKEN,
// SLACK_API_URL, SLACK_CHANNEL.
'use strict';

const { createLambdaFunction, createProbot } = require('@probot/adapter-aws-lambda-serverless');
const { WebClient } = require('@slack/web-api');

const slack = new WebClient(process.env.SLACK_BOT_TOKEN, { slackApiUrl: process.env.SLACK_API_URL });

/** @param {import('probot').Probot} app */
const appFn = (app) => {
  app.on('pull_request.opened', async (context) => {
    const pr = context.payload.pull_request;
    const { data: files } = await context.octokit.pulls.listFiles(context.pullRequest({ per_page: 100 }));
    await slack.chat.postMessage({
      channel: process.env.SLACK_CHANNEL,
      text: `${context.payload.repository.full_name}#${pr.number} ${pr.title} (${files.length} files changed)`,
    });
  });
};

module.exports.handler = createLambdaFunction(appFn, {
  // The one override: the GitHub API of the bench's fake (GITHUB_API_URL), as for GitHub Enterprise.
  probot: createProbot({ overrides: { baseUrl: process.env.GITHUB_API_URL } }),
});
