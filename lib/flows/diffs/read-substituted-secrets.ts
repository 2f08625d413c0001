import { readSecretValues, type ClusterConnection, type Kustomization } from '../../adapters/kube';
import { secretMasker, type SecretMasker } from './substituted-secrets';

/**
 * A masker for the values the controller substitutes from the Kustomization's postBuild.substituteFrom
 * Secrets: flux diff masks Secret objects, but a value substituted into a ConfigMap, a HelmRelease or an
 * Ingress is printed in clear. The values stay in memory; nothing here logs them.
 */
export async function readSubstitutedSecrets(connection: ClusterConnection, kustomization: Kustomization): Promise<SecretMasker> {
  const values: string[] = [];
  for (const ref of kustomization.substituteFrom.filter((from) => from.kind === 'Secret')) {
    values.push(...((await readSecretValues(connection, { namespace: kustomization.namespace, name: ref.name, optional: ref.optional })) ?? []));
  }
  return secretMasker(values);
}
