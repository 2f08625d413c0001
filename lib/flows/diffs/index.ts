export { runDiff, type DiffDeps, type DiffRequest, type DiffRun } from './run-diff';
export { executeDiffJob, reportDiffJob, diffInputsSchema, type DiffJobDeps } from './diff-job';
export { diffReportMessage, summaryLine, type StoredDiff, type DiffReportMessage } from './report-message';
export { postDiffToPullRequest, approveFromDiff, diffCommentMarker, type PrActionDeps } from './pr-actions';
export { extractTarball, DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from './extract-tarball';
export { diffFailureHint } from './failure-message';
export { AUTO_DIFF_REQUESTER, requestedBy, requesterOnGithub } from './requester';
export { DiffError, DiffFailed, UnsafeTarball, SourceMismatch, ForkNotAllowed, HeadMoved, ReportUnavailable } from './errors';
