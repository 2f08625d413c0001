import { readSecretValues, type ClusterConnection } from '../../adapters/kube';
import { secretMasker, type SecretMasker } from './substituted-secrets';

/**
 * A masker for the values of the postBuild.substituteFrom Secrets, in the Kustomization's namespace: flux
 * diff masks Secret objects, but a value substituted into a ConfigMap, a HelmRelease or an Ingress is
 * printed in clear. The caller passes the live Kustomization's Secrets AND those the PR's declaration
 * names: flux substitutes the declared ones from the cluster, so a PR could otherwise print any Secret of
 * the namespace. The values stay in memory; nothing here logs them.
 */
export async function readSubstitutedSecrets(connection: ClusterConnection, namespace: string, secrets: { name: string; optional: boolean }[]): Promise<SecretMasker> {
  const values: string[] = [];
  const names = new Map<string, boolean>();
  // A Secret required by either side is required: the diff fails rather than leave its values unmasked.
  for (const secret of secrets) names.set(secret.name, (names.get(secret.name) ?? true) && secret.optional);
  for (const [name, optional] of names) values.push(...((await readSecretValues(connection, { namespace, name, optional })) ?? []));
  return secretMasker(values);
}
