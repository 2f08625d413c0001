/**
 * The flux CLI capability: run the binary safely (no shell, own environment, timeout, output cap),
 * read its exit-code contract, and parse what it prints.
 */
export { runFlux, type FluxRun, type RunFluxOptions } from './run-flux';
export { fluxVersion } from './flux-version';
export { withJobFolder, type JobFolder, type JobFolderOptions } from './job-folder';
export { buildDiffArgs, buildKustomizationArgs, type DiffTarget } from './diff-args';
export { builtObjects, objectSubject, SECRET_VALUE_MASK, type BuiltObject } from './built-objects';
export { classifyBuildRun, classifyDiffRun, type BuildOutcome, type DiffOutcome } from './classify-diff-run';
export { CHANGES_MARKER } from './contract';
export { fluxErrorMessage, fluxWarnings, MAX_MESSAGE_CHARS } from './error-message';
export { parseDiffReport, reportSections, displayReport, type ReportSection, type DiffObject, type DiffSummary, type FieldChange, type ObjectAction, type ObjectRef } from './diff-report';
export { parseGetTable, type GetTable } from './get-table';
export { stripAnsi } from './text';
export { isDns1123Label, isDns1123Subdomain } from './kubernetes-names';
export { FluxError, InvalidFluxArgument } from './errors';
