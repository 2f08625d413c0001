import type { KnownBlock } from '@slack/web-api';

export interface PostMessage {
  channel: string;
  /** Fallback for notifications and screen readers; also what Slack shows when `blocks` is absent. */
  text: string;
  blocks?: KnownBlock[];
  /** ts of the thread's parent message (never a reply's ts: Slack answers `invalid_thread_ts`). */
  threadTs?: string;
  /**
   * Our id for this post (DESIGN §3 "Exactly once, visibly"), sent as the message's metadata. A retry of
   * a post whose answer was lost (a 5xx, a timeout) first looks for a message carrying it and returns that
   * one instead of posting again; `findPosted` finds it from a later invocation.
   */
  effectId?: string;
}

/** Where to look for an earlier post of ours: the channel, or the thread, from a little before `since`. */
export interface FindPosted {
  channel: string;
  threadTs?: string;
  effectId: string;
  /** When the intent to post was recorded: nothing older can be that post. */
  since: Date;
}

export interface UpdateMessage {
  channel: string;
  ts: string;
  text: string;
  /** The message is replaced as a whole: without blocks, its previous blocks are removed. */
  blocks?: KnownBlock[];
}

export interface PostEphemeral {
  channel: string;
  /** Who sees it; Slack drops it silently when the user is not in the channel. */
  user: string;
  text: string;
  threadTs?: string;
  blocks?: KnownBlock[];
}

export interface UploadFile {
  channel: string;
  threadTs?: string;
  filename: string;
  title: string;
  content: string;
  /** Posted with the file as its message. */
  initialComment?: string;
}

import type { Respond } from './respond';

export type { Respond };

export interface PostedMessage {
  channel: string;
  ts: string;
}

/**
 * The Slack Web API as Fluxline uses it. Implementations: the real WebClient (with a token) and a console
 * printer (local dev without a token). Failures of the real one are `SlackError`s (see errors.ts).
 */
export interface SlackPort {
  postMessage(m: PostMessage): Promise<PostedMessage>;
  /** The message posted with this `effectId`, if Slack shows one; undefined when none (or when the bot may not read history). */
  findPosted(q: FindPosted): Promise<PostedMessage | undefined>;
  updateMessage(m: UpdateMessage): Promise<PostedMessage>;
  postEphemeral(m: PostEphemeral): Promise<void>;
  uploadFile(f: UploadFile): Promise<void>;
  /** Answers a slash command or a click: through its response_url, else as a message or an ephemeral one. */
  respond(r: Respond): Promise<void>;
}
