/**
 * action_id prefixes of Fluxline's buttons. Slack requires action_ids to be unique within a message,
 * so buttons append `:<index>` or `:<jobId>`; handlers match with `startsWith`.
 */
export const ACTIONS = {
  fluxDiff: 'fluxline.flux-diff',
  viewPr: 'fluxline.view-pr',
  postDiff: 'fluxline.post-diff',
  approvePr: 'fluxline.approve-pr',
  /** A row chosen in a `flux get` table's select menu. */
  fluxRow: 'fluxline.flux-row',
  /** An action on one Flux object (reconcile, suspend, resume, events, tree, diff). */
  fluxRun: 'fluxline.flux-run',
  /** One reading of an ambiguous promote (chart version, app version, image tag). */
  promoteChoice: 'fluxline.promote-choice',
  /** Suspend the ImageUpdateAutomation that would undo a rollback. */
  suspendAutomation: 'fluxline.suspend-automation',
  /** Pin the rolled-back version on its line, so image automation leaves it alone. */
  pinPolicy: 'fluxline.pin-policy',
  /** A button or menu option of an executor's answer, running the command it carries. */
  runCommand: 'fluxline.run-command',
} as const;

export type ActionPrefix = (typeof ACTIONS)[keyof typeof ACTIONS];
