import { openTable, type StoreOptions, type TableHandle } from './client';
import * as deliveries from './deliveries';
import * as notices from './notices';
import * as jobs from './jobs';
import * as audit from './audit';
import * as clicks from './clicks';
import * as deployments from './deployments';
import * as redeliveries from './redeliveries';
import * as effects from './effects';

export { ensureTable, DEFAULT_STORE_TIMEOUTS, type StoreOptions, type StoreTimeouts, type TableHandle } from './client';
export { ConcurrentUpdate, StoreError, StoreTimedOut } from './errors';
export type { DeliveryClaim } from './deliveries';
export type { PrNotice, NoticeState, NoticeDiffTarget } from './notices';
export type { JobRecord, JobStatus, JobResultRecord } from './jobs';
export type { AuditEntry } from './audit';
export type { EffectState } from './effects';
export type { Click, ClickClaim } from './clicks';
export type { DeploymentRecord, DeployedKind, DeploymentStatusFields, PendingRollout } from './deployments';
export type { RedeliveryOutcome, RedeliveryRecord, RedeliveryRequest, SweepLease } from './redeliveries';
export { MAX_RESULT_BYTES } from './jobs';

type Bound<F> = F extends (table: TableHandle, ...args: infer A) => infer R ? (...args: A) => R : never;
type BindAll<M> = { [K in keyof M]: Bound<M[K]> };

function bindAll<M extends Record<string, unknown>>(table: TableHandle, module: M): BindAll<M> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(module)) {
    if (typeof fn === 'function') bound[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown)(table, ...args);
  }
  return bound as BindAll<M>;
}

const operations = {
  claimDelivery: deliveries.claimDelivery,
  completeDelivery: deliveries.completeDelivery,
  releaseDelivery: deliveries.releaseDelivery,
  getDelivery: deliveries.getDelivery,
  getNotice: notices.getNotice,
  saveNotice: notices.saveNotice,
  deleteNotice: notices.deleteNotice,
  createJob: jobs.createJob,
  getJob: jobs.getJob,
  transitionJob: jobs.transitionJob,
  markJobReported: jobs.markJobReported,
  failStaleJob: jobs.failStaleJob,
  listJobsOfPullRequest: jobs.listJobsOfPullRequest,
  putJobResult: jobs.putJobResult,
  getJobResult: jobs.getJobResult,
  claimActiveJob: jobs.claimActiveJob,
  claimClick: clicks.claimClick,
  appendAudit: audit.appendAudit,
  auditOfDay: audit.auditOfDay,
  recordDeployment: deployments.recordDeployment,
  amendDeployment: deployments.amendDeployment,
  latestDeployment: deployments.latestDeployment,
  latestDeploymentsOn: deployments.latestDeploymentsOn,
  deploymentHistory: deployments.deploymentHistory,
  deploymentsOfApp: deployments.deploymentsOfApp,
  putPendingRollout: deployments.putPendingRollout,
  pendingRolloutsOn: deployments.pendingRolloutsOn,
  completePendingRollout: deployments.completePendingRollout,
  markRolloutReported: deployments.markRolloutReported,
  claimAlert: deployments.claimAlert,
  releaseAlert: deployments.releaseAlert,
  acquireSweepLease: redeliveries.acquireSweepLease,
  advanceSweepMark: redeliveries.advanceSweepMark,
  releaseSweepLease: redeliveries.releaseSweepLease,
  getRedelivery: redeliveries.getRedelivery,
  recordRedeliveryIntent: redeliveries.recordRedeliveryIntent,
  recordRedeliveryOutcome: redeliveries.recordRedeliveryOutcome,
  beginEffect: effects.beginEffect,
  completeEffect: effects.completeEffect,
  getEffect: effects.getEffect,
};

/** The table's operations bound to one table: a thin shell over plain functions (as octokit/webhooks does). */
export type Store = BindAll<typeof operations> & { table: TableHandle };

export function createStore(options: StoreOptions): Store {
  const table = openTable(options);
  return { ...bindAll(table, operations), table };
}
