export { parseSlashCommand, parseInteraction, type SlashCommand, type BlockActions, type Interaction } from './slack-payloads';
export { handleSlashCommand, type SlashCommandDeps } from './handle-slash-command';
export { planSlashCommand, refusalAuditId, type SlashPlan, type SlashWork, type SlackReply } from './plan-slash-command';
export { handleBlockActions, type BlockActionsDeps } from './handle-block-actions';
export { requestDiff, type DiffAsk, type DiffAskResult, type RequestDiffDeps } from './request-diff';
export { isAdmin, isApprover, channelMayUseCluster, mayDiffFork, type Permission, type Refusal } from './authorize';
export { queueCommandJob, type CommandJobAsk, type QueueCommandJobDeps } from './queue-command-job';
export { requestFluxCli, decideFluxCli, answerFluxCliCommand, chooseCluster, type FluxCliAsk, type FluxCliAskResult, type FluxCliDecision, type RequestFluxCliDeps } from './request-flux-cli';
