/**
 * Flux CLI commands from Slack (DESIGN §3 flow 4): argv from a typed command, run in the worker with the
 * cluster's access, and the result as Block Kit (tables with select menus, output in code sections).
 */
export { buildFluxArgs, commandOfArgs, describeCommand } from './flux-args';
export { classifyCliRun, type CliOutcome } from './classify-run';
export { runFluxCommand, type FluxCliDeps, type FluxCliRequest, type FluxCliResult } from './run-command';
export { executeFluxCliJob, reportFluxCliJob, type FluxCliJobDeps } from './cli-job';
export { auditMutation, fluxCliInputsSchema, FLUX_CLI_JOB, type FluxCliInputs } from './job-inputs';
export { tableMessage, alignedTable, OPTIONS_PER_MENU, MAX_MENUS, type CommandMessage, type TableContext } from './table-message';
export { outputMessage, emptyMessage, failureMessage } from './output-message';
export { objectRows, rowsOfOutput, isNotReady, type ObjectRow } from './table-rows';
export { chosenRow, itemActionsMessage, diffHint, type ChosenRow } from './item-actions';
export { FluxCliError, FluxCommandFailed, TableRowUnavailable } from './errors';
