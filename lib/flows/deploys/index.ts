export { receiveFluxEvent, type FluxEventOutcome } from './receive-flux-event';
export type { FluxEventDeps } from './deps';
export { parseFluxEvent, fluxEventSchema, revisionOf, commitOf, type FluxEvent } from './flux-event';
export { deploymentOf } from './deployment-of';
export { rolloutMatches } from './rollouts';
export { alertChannels, ALERT_WINDOW_MS } from './alerts';
export { deploymentHistoryText, HISTORY_ROWS, type HistoryAsk, type HistoryDeps } from './history';
export { auditJobOutcome, jobAuditEntry, rolloutAuditEntry, type RolloutOutcome } from './audit-entries';
export { MalformedFluxEvent, UnknownCluster, SlackUnavailable, RolloutReportInProgress } from './errors';
