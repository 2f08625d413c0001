/**
 * What an operator can do about each Slack error code Fluxline can meet
 * (https://docs.slack.dev/reference/methods/chat.postMessage#errors and the other methods' pages).
 */
const HINTS: Record<string, string> = {
  not_in_channel: 'invite the Fluxline bot to the channel (/invite @Fluxline), or grant it the chat:write.public scope for public channels',
  channel_not_found: 'check the channel ID in config.yaml (slack.channel, slack.channels); a private channel must invite the Fluxline bot first',
  is_archived: 'the channel is archived: unarchive it or point slack.channel in config.yaml at another one',
  invalid_auth: 'SLACK_BOT_TOKEN is not valid for this workspace (or SLACK_API_URL points at another Slack): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
  not_authed: 'SLACK_BOT_TOKEN is empty: set it to the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
  token_revoked: 'the Slack app was uninstalled or its token revoked: reinstall it and update SLACK_BOT_TOKEN',
  token_expired: 'the token expired (token rotation is on): turn rotation off for the bot token or refresh SLACK_BOT_TOKEN',
  account_inactive: 'the token belongs to a deleted user or workspace: reinstall the Slack app and update SLACK_BOT_TOKEN',
  missing_scope: 'the app lacks a scope this call needs: add it under OAuth & Permissions and reinstall the app',
  invalid_blocks: 'the message breaks a Block Kit limit — a Fluxline bug; please report it with the details that follow',
  invalid_blocks_format: 'the blocks are not valid Block Kit JSON — a Fluxline bug; please report it',
  msg_blocks_too_long: 'the message is too long for Slack — a Fluxline bug; please report it',
  msg_too_long: 'the message text is over 40,000 characters — a Fluxline bug; please report it',
  no_text: 'the message had neither text nor blocks — a Fluxline bug; please report it',
  message_not_found: 'the message was deleted, or its ts belongs to another channel',
  cant_update_message: 'only messages posted by the Fluxline bot itself can be updated',
  edit_window_closed: 'the workspace does not allow editing messages this old (Workspace settings → Message editing)',
  invalid_thread_ts: 'the thread parent is gone or the ts is a reply, not a thread parent',
  thread_not_found: 'the thread parent message was deleted',
  user_not_in_channel: 'the user is not a member of that channel, so the ephemeral message cannot reach them',
  restricted_action: 'a workspace setting stops the bot from posting there: ask a Slack admin',
  restricted_action_read_only_channel: 'the channel is read-only for the bot: ask a Slack admin or use another channel',
  restricted_action_thread_only_channel: 'the channel only accepts thread replies: use another channel for PR notices',
  ekm_access_denied: 'administrators have suspended posting (Enterprise Key Management)',
  team_access_not_granted: 'the app is not granted access to this workspace of the Enterprise Grid org: ask an org admin',
  ratelimited: 'Slack is rate-limiting the app: fewer messages, or retry later',
  file_uploads_disabled: 'file uploads are disabled in this workspace: ask a Slack admin, long diffs cannot be attached meanwhile',
  internal_error: 'Slack had an internal error: retry later; see https://slack-status.com',
  fatal_error: 'Slack had an internal error and part of the call may have happened: check the channel before retrying',
  service_unavailable: 'Slack is unavailable: retry later; see https://slack-status.com',
};

export function hintFor(code: string, needed?: string): string | undefined {
  if (code === 'missing_scope' && needed) return `the app lacks the ${needed} scope: add it under OAuth & Permissions and reinstall the app`;
  return HINTS[code];
}
