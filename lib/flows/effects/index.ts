export { postOnce, onceSlack, type EffectDeps, type PostOnceResult } from './post-once';
export { settleAll } from './settle-all';
export { recordRunResults, reportRunAfter, type ReportRun } from './report-run';
