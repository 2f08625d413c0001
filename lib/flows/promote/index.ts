export { PROMOTE_JOB_KINDS } from './job-kinds';
export { executePromoteJob, reportPromoteJob, promoteInputsSchema, rollbackInputsSchema, type PromoteJobDeps } from './promote-jobs';
export { rollOut, type RolloutDeps, type RolloutRequest, type RolloutResult } from './rollout';
export { findVersionTargets, type VersionTarget, type TargetKind } from './version-targets';
export { spliceVersion } from './splice-version';
export { locateApp, folderOf, type AppLocation } from './locate-app';
export { commitVersion, branchNameOf, type CommitResult, type VersionChange } from './commit-version';
export { ensureKnownVersion, rollbackVersion } from './known-versions';
export { PromoteError, PromoteRefused, GitopsNotConfigured, AppNotInRepository, AmbiguousApp, VersionNotEditable, UnknownVersion, NothingToRollBack } from './errors';
