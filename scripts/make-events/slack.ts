import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { encodeAction } from '../../lib/core/commands';
import { LOCAL_SECRETS, signSlackBody } from '../lib/signing';
import { SAMPLE_REPOSITORY } from '../lib/sample-fleet';
import { apiGatewayEvent } from './api-gateway';
import { at, type Json } from './story';

/** Slack's requests of the sample story, in the shapes Slack documents for slash commands and block actions. */

const SLACK = { team: 'T0ACME', user: 'U0ADMIN', userName: 'alice', channel: 'C0FLUX', app: 'A0FLUXLINE', bot: 'B0FLUXBOT', botUser: 'U0FLUXBOT' };

function slackRequest(path: '/slack/commands' | '/slack/interactions', form: Record<string, string>, when: Date, requestId: string): APIGatewayProxyEventV2 {
  const body = new URLSearchParams(form).toString();
  const timestamp = Math.floor(when.getTime() / 1000);
  return apiGatewayEvent(
    `POST ${path}`,
    {
      accept: 'application/json,*/*',
      'accept-encoding': 'gzip,deflate',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackBody(LOCAL_SECRETS.SLACK_SIGNING_SECRET, timestamp, body),
    },
    body,
    when,
    '3.5.140.2',
    requestId,
  );
}

/** A `/flux <text>` slash command as Slack sends it from the sample channel. */
function slashCommand(text: string, ids: { triggerId: string; responseUrl: string }, when: Date, requestId: string): APIGatewayProxyEventV2 {
  const { triggerId, responseUrl } = ids;
  return slackRequest(
    '/slack/commands',
    {
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: SLACK.team,
      team_domain: 'acme',
      channel_id: SLACK.channel,
      channel_name: 'flux',
      user_id: SLACK.user,
      user_name: SLACK.userName,
      command: '/flux',
      text,
      api_app_id: SLACK.app,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    },
    when,
    requestId,
  );
}

/** The ts Slack gave the PR notice the click sample is on. */
const NOTICE_TS = `${Math.floor(at(0).getTime() / 1000)}.000100`;

function fluxDiffClick(): Json {
  const value = encodeAction({ type: 'flux-diff', repository: SAMPLE_REPOSITORY, number: 42, kustomization: 'flux-system/apps', cluster: 'local' });
  const clickedAt = at(2);
  return {
    type: 'block_actions',
    user: { id: SLACK.user, username: SLACK.userName, name: SLACK.userName, team_id: SLACK.team },
    api_app_id: SLACK.app,
    token: 'gIkuvaNzQIHg97ATvDxqgjtO',
    container: { type: 'message', message_ts: NOTICE_TS, channel_id: SLACK.channel, is_ephemeral: false },
    trigger_id: '8123456789012.1234567890123.0a1b2c3d4e5f67890a1b2c3d4e5f6789',
    team: { id: SLACK.team, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: SLACK.channel, name: 'flux' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: 'acme/fleet#42 podinfo: bump the chart to 6.7.1 and raise staging replicas',
      ts: NOTICE_TS,
      bot_id: SLACK.bot,
      user: SLACK.botUser,
      blocks: [
        { type: 'section', block_id: 'pr', text: { type: 'mrkdwn', text: '*<https://github.com/acme/fleet/pull/42|acme/fleet#42>* podinfo: bump the chart to 6.7.1 and raise staging replicas', verbatim: false } },
        {
          type: 'actions',
          block_id: 'pr-actions',
          elements: [
            { type: 'button', action_id: 'fluxline.flux-diff:0', text: { type: 'plain_text', text: 'Flux diff flux-system/apps on local', emoji: true }, value },
            { type: 'button', action_id: 'fluxline.view-pr', text: { type: 'plain_text', text: 'View PR', emoji: true }, url: 'https://github.com/acme/fleet/pull/42' },
          ],
        },
      ],
    },
    state: { values: {} },
    response_url: 'https://hooks.slack.com/actions/T0ACME/8123456789012/Zl3fMQ8mLk0Ytg2QpJrHx5vW',
    actions: [
      {
        action_id: 'fluxline.flux-diff:0',
        block_id: 'pr-actions',
        text: { type: 'plain_text', text: 'Flux diff flux-system/apps on local', emoji: true },
        value,
        type: 'button',
        action_ts: `${Math.floor(clickedAt.getTime() / 1000)}.482913`,
      },
    ],
  };
}

/** The Slack samples, by file name under events/. */
export function slackEvents(): Record<string, APIGatewayProxyEventV2> {
  return {
    'slack-flux-diff-click.json': slackRequest('/slack/interactions', { payload: JSON.stringify(fluxDiffClick()) }, at(2), 'Ka9dQhPLvHcEJwA='),
    'slack-flux-help.json': slashCommand('help', { triggerId: '8123456789013.1234567890123.5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789013/Qm7xV2pLk9Rt4YwZ1nB6cH3d' }, at(3), 'Kb2eRiPLvHcEKxB='),
    'slack-flux-history.json': slashCommand('history podinfo', { triggerId: '8123456789014.1234567890123.6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789014/Rn8yW3qMl0Su5ZxA2oC7dI4e' }, at(41), 'Kf6iVmTPzLgIObF='),
    'slack-flux-list.json': slashCommand('list', { triggerId: '8123456789015.1234567890123.7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789015/So9zX4rNm1Tv6AyB3pD8eJ5f' }, at(42), 'Kg7jWnUQaMhJPcG='),
    'slack-flux-get-ks.json': slashCommand('get ks -A', { triggerId: '8123456789016.1234567890123.8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f', responseUrl: 'https://hooks.slack.com/commands/T0ACME/8123456789016/Tp0aY5sOn2Uw7BzC4qE9fK6g' }, at(43), 'Kh8kXoVRbNiKQdH='),
  };
}
