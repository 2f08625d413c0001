import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TableHandle } from './client';
import { keys } from './keys';

export type DeployedKind = 'Kustomization' | 'HelmRelease';

/** One successful deployment of a Flux object on a cluster, as Flux's events tell it. */
export interface DeploymentRecord {
  cluster: string;
  kind: DeployedKind;
  namespace: string;
  /** The Flux object's name, which is also the app's name for list/history/promote. */
  name: string;
  /** As Flux reports it: `main@sha1:<sha>` or `main/<sha>` (Kustomization), the chart version (HelmRelease). */
  revision: string;
  /** What a person calls it: the chart version, or the commit sha. */
  version: string;
  /**
   * The app's own version when it is known: a HelmRelease's appVersion (from its release history), or the
   * image tag a Fluxline promote of a Kustomization-applied app wrote (a commit sha is not a version).
   */
  appVersion?: string;
  /** The app `appVersion` belongs to, when a Flux object applies several (a Kustomization). */
  app?: string;
  /** HelmRelease: the digest of the values (event metadata `token`): a values-only upgrade is a deployment too. */
  configDigest?: string;
  /** HelmRelease with a chart from an OCIRepository: the artifact's digest (a tag pushed again is a new chart). */
  ociDigest?: string;
  /** Kustomization of an OCI artifact built from Git: the Git revision it was built from. */
  originRevision?: string;
  /**
   * Kustomization (kustomize-controller v1.7+): the digest of the manifests it built, from `status.history`.
   * A changed substitution or spec at the same Git revision builds other manifests: a new deployment.
   */
  digest?: string;
  /**
   * Kustomization: when kustomize-controller last reported that server-side apply changed objects at this
   * deployment's revision (its change-set event), so the next success is checked against `status.history`.
   */
  changeAppliedAt?: string;
  /** Kustomization: the success after `changeAppliedAt` whose build was queued for comparison (once per change). */
  changeCheckedAt?: string;
  /** What the success proves: `health-checked` (the controller waited for the workloads) or only `applied`. */
  readiness?: 'health-checked' | 'applied';
  /** HelmRelease: Helm's status of this release in the object's `status.history` (`deployed`, `superseded`, `failed`). */
  releaseStatus?: string;
  /** Kustomization: the images of the Deployments it applied at this revision, read from the cluster. */
  images?: string[];
  /** Set once the object's status was read after the event (what the fields above come from). */
  statusReadAt?: string;
  reason: string;
  message: string;
  /** The event's timestamp (ISO 8601): orders deployments, so a late event never becomes "latest". */
  at: string;
  /** Who caused it, when a Fluxline promote or rollback did. */
  by?: { user: string; jobId: string; action: string };
}

const objectOf = (d: Pick<DeploymentRecord, 'kind' | 'namespace' | 'name'>) => `${d.kind}/${d.namespace}/${d.name}`;

function strip(item: Record<string, unknown>): DeploymentRecord {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...record } = item;
  return record as unknown as DeploymentRecord;
}

/**
 * Records a deployment. The `AT#<at>` item is written once (a repeated event changes nothing); `LATEST`
 * moves only forward in time, so an event that arrives out of order is kept in the history but never
 * replaces a newer deployment.
 */
export async function recordDeployment(table: TableHandle, deployment: DeploymentRecord): Promise<{ recorded: boolean; latest: boolean }> {
  const pk = keys.deployment(deployment.cluster, objectOf(deployment));
  let recorded = true;
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        // Indexed under the app a promote named when a Kustomization applies several, so `/flux history api` finds it.
        Item: { pk, sk: `AT#${deployment.at}`, gsi1pk: keys.deploymentsOfApp(deployment.app ?? deployment.name), gsi1sk: `${deployment.at}#${deployment.cluster}`, ...deployment },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    recorded = false;
  }
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { pk, sk: 'LATEST', gsi1pk: keys.latestOnCluster(deployment.cluster), gsi1sk: objectOf(deployment), ...deployment },
        ConditionExpression: 'attribute_not_exists(pk) OR #at < :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': deployment.at },
      }),
    );
    return { recorded, latest: true };
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    return { recorded, latest: false };
  }
}

/** What the object's status adds to a recorded deployment. */
export type DeploymentStatusFields = Pick<DeploymentRecord, 'readiness' | 'releaseStatus' | 'images' | 'appVersion' | 'digest' | 'changeAppliedAt' | 'changeCheckedAt' | 'statusReadAt'>;

/**
 * Adds what the object's status says to the deployment recorded at `at` (and to LATEST while it is that
 * one). Nothing is created: a record that is gone stays gone.
 */
export async function amendDeployment(table: TableHandle, cluster: string, object: Pick<DeploymentRecord, 'kind' | 'namespace' | 'name'>, at: string, fields: DeploymentStatusFields): Promise<boolean> {
  const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return false;
  const names: Record<string, string> = { '#at': 'at' };
  const values: Record<string, unknown> = { ':at': at };
  entries.forEach(([name, value], i) => {
    names[`#f${i}`] = name;
    values[`:v${i}`] = value;
  });
  const update = { UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values };
  const pk = keys.deployment(cluster, objectOf(object));
  let amended = false;
  for (const sk of [`AT#${at}`, 'LATEST']) {
    try {
      await table.doc.send(new UpdateCommand({ TableName: table.tableName, Key: { pk, sk }, ConditionExpression: 'attribute_exists(pk) AND #at = :at', ...update }));
      amended = true;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
  return amended;
}

export async function latestDeployment(table: TableHandle, cluster: string, object: Pick<DeploymentRecord, 'kind' | 'namespace' | 'name'>): Promise<DeploymentRecord | undefined> {
  const { Item } = await table.doc.send(new GetCommand({ TableName: table.tableName, Key: { pk: keys.deployment(cluster, objectOf(object)), sk: 'LATEST' }, ConsistentRead: true }));
  return Item ? strip(Item) : undefined;
}

/** The latest deployment of every object Flux reported on a cluster. */
export async function latestDeploymentsOn(table: TableHandle, cluster: string): Promise<DeploymentRecord[]> {
  return queryAll(table, { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.latestOnCluster(cluster) } });
}

/** One object's deployments on one cluster, newest first. */
export async function deploymentHistory(table: TableHandle, cluster: string, object: Pick<DeploymentRecord, 'kind' | 'namespace' | 'name'>, limit = 50): Promise<DeploymentRecord[]> {
  return queryAll(
    table,
    {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :at)',
      ExpressionAttributeValues: { ':pk': keys.deployment(cluster, objectOf(object)), ':at': 'AT#' },
      ScanIndexForward: false,
    },
    limit,
  );
}

/** Every deployment of an app (Flux objects of that name) on every cluster, newest first. */
export async function deploymentsOfApp(table: TableHandle, app: string, limit = 50): Promise<DeploymentRecord[]> {
  return queryAll(
    table,
    { IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': keys.deploymentsOfApp(app) }, ScanIndexForward: false },
    limit,
  );
}

async function queryAll(table: TableHandle, query: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>, limit = Infinity): Promise<DeploymentRecord[]> {
  const found: DeploymentRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(new QueryCommand({ TableName: table.tableName, ...query, ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}) }));
    found.push(...(page.Items ?? []).map(strip));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && found.length < limit);
  return found.slice(0, limit);
}

/**
 * A promote or rollback waiting for Flux to report it deployed. The events function finds it by cluster
 * and completes it once: the Slack message it points at is updated exactly one time.
 */
export interface PendingRollout {
  jobId: string;
  cluster: string;
  app: string;
  /** The Flux object whose deployment completes it (absent in rollouts written before owners were read: matched by name). */
  object?: { kind: DeployedKind; namespace: string; name: string };
  /**
   * What the matching event carries: the chart version (HelmRelease), the commit sha (Kustomization
   * revision; or any later revision than `previousRevision`, since another commit may land first), or,
   * for a HelmRelease values change, any upgrade after the request (`anyUpgrade`).
   */
  expect: { version?: string; commitSha?: string; previousRevision?: string; anyUpgrade?: boolean; appVersion?: string };
  /** What Flux's success will prove, from the object's spec (wait, healthChecks, disableWait). */
  readiness?: 'health-checked' | 'applied';
  requester: { user: string; channel: string; messageTs?: string; threadTs?: string };
  action: 'promote' | 'rollback';
  createdAt: string;
  /** Set once the requester's Slack message says how it ended; a retried event then only completes it. */
  reportedAt?: string;
}

export async function putPendingRollout(table: TableHandle, rollout: PendingRollout): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...keys.rollout(rollout.cluster, rollout.jobId), ...rollout } }));
}

export async function pendingRolloutsOn(table: TableHandle, cluster: string): Promise<PendingRollout[]> {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({ TableName: table.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.rollout(cluster, '').pk }, ConsistentRead: true }),
  );
  return Items.map(({ pk: _pk, sk: _sk, ...rollout }) => rollout as PendingRollout);
}

/** Records that the rollout's Slack message was updated; false when it is gone or was already marked. */
export async function markRolloutReported(table: TableHandle, cluster: string, jobId: string, now = new Date()): Promise<boolean> {
  try {
    await table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.rollout(cluster, jobId),
        UpdateExpression: 'SET reportedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(reportedAt)',
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/** Removes the pending rollout; true for the one caller that removed it (two racing events: one wins). */
export async function completePendingRollout(table: TableHandle, cluster: string, jobId: string): Promise<boolean> {
  try {
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.rollout(cluster, jobId), ConditionExpression: 'attribute_exists(pk)' }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * Claims the right to alert about (cluster, object, reason) for `windowMs`: true at most once per window,
 * whatever the number of concurrent callers.
 */
export async function claimAlert(table: TableHandle, cluster: string, object: string, reason: string, windowMs: number, now = new Date()): Promise<boolean> {
  try {
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.alert(cluster, object, reason), until: new Date(now.getTime() + windowMs).toISOString(), expiresAt: Math.floor((now.getTime() + windowMs) / 1000) + 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
        ExpressionAttributeNames: { '#until': 'until' },
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}

/**
 * Gives a claim back before its window ends: the effect it guarded did not happen (Slack refused the
 * alert), so the sender's retry may claim it again.
 */
export async function releaseAlert(table: TableHandle, cluster: string, object: string, reason: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.alert(cluster, object, reason) }));
}
