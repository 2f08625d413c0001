// Before @kubernetes/client-node: see runtime-compat.ts.
import './runtime-compat';
import { CoreV1Api } from '@kubernetes/client-node';
import * as z from '../../core/validation';
import { callCluster } from './cluster-errors';
import type { ClusterConnection } from './connection';
import { SourceNotFound, UnexpectedKubernetesObject } from './errors';

const secretSchema = z.looseObject({ data: z.nullish(z.record(z.string(), z.string())) });

/**
 * The decoded values of one Secret's `data`, so that they can be masked wherever they turn up in a diff.
 * They are returned, never logged or put in an error: every message here names the Secret only.
 * `undefined` when the Secret does not exist and `optional` says that is fine (Flux's substituteFrom
 * `optional: true`).
 */
export async function readSecretValues(connection: ClusterConnection, ref: { namespace: string; name: string; optional?: boolean }): Promise<string[] | undefined> {
  const api = connection.kubeConfig.makeApiClient(CoreV1Api);
  let body: unknown;
  try {
    body = await callCluster(connection, () => api.readNamespacedSecret({ namespace: ref.namespace, name: ref.name }), (cause) => new SourceNotFound(connection.cluster, 'Secret', ref.namespace, ref.name, { cause }));
  } catch (err) {
    if (err instanceof SourceNotFound && ref.optional) return undefined;
    throw err;
  }
  const parsed = secretSchema.safeParse(body);
  if (!parsed.success) throw new UnexpectedKubernetesObject(connection.cluster, `Secret ${ref.namespace}/${ref.name}`, ['data: not a map of strings']);
  return Object.values(parsed.data.data ?? {}).map((value) => Buffer.from(value, 'base64').toString('utf8'));
}
