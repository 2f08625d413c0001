/**
 * Block Kit limits. Slack rejects a message that breaks any of them with `invalid_blocks`
 * (https://docs.slack.dev/reference/block-kit/blocks and .../block-elements/button-element).
 */
export const BLOCK_KIT = {
  /** Blocks per message. */
  blocksPerMessage: 50,
  /** Characters of a section block's `text`. */
  sectionText: 3000,
  /** Characters of a context block's text element (same cap as a section's text). */
  contextText: 3000,
  /** Elements per actions block. */
  actionsElements: 25,
  /** Characters of a button's plain_text label. */
  buttonText: 75,
  /** Characters of a button's `value`. */
  buttonValue: 2000,
  /** Characters of a button's `url`. */
  buttonUrl: 3000,
  /**
   * Not a documented limit: Slack answers `msg_blocks_too_long` once the blocks of one message carry
   * about 13,200 characters (slackapi/bolt-js#2509). We stay well below it.
   */
  safeMessageChars: 10_000,
} as const;
