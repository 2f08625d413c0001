export {
  checkRunName,
  parseCheckRunName,
  RUN_FLUX_DIFF_ACTION,
  queueDiffCheckRun,
  startDiffCheckRun,
  completeDiffCheckRunWith,
  supersedeJobCheckRun,
  supersedeCheckRuns,
  supersededOutput,
  bestEffort,
  type DiffCheckDeps,
  type DiffCheckTarget,
} from './diff-check-run';
