export { resolveClusterAccess, type ClusterAccessDeps, type ClusterAccessOptions } from './resolve-cluster-access';
export type { ClusterConnection } from './connection';
export type { ImpersonationRequest } from './impersonation';
export { GROUP_ONLY_IMPERSONATED_USER } from './impersonation';
// createEksClusterLookup (@aws-sdk/client-eks) is not exported here: resolveClusterAccess loads it on the first EKS cluster.
export type { EksClusterLookup, EksClusterEndpoint, EksClusterLookupOptions } from './eks-cluster';
export { mintEksToken, type AwsCredentials } from './eks-token';
export { getKustomization, listKustomizations, type Kustomization } from './kustomization';
export { getGitRepository, listGitRepositoriesOf, type GitRepository, type GitRepositoryRef } from './git-repository';
export { getOciRepository, listOciRepositoriesOf, OCI_SOURCE_ANNOTATION, type OciRepository } from './oci-repository';
export { readSecretValues } from './secret-values';
export { parseGitUrl, type GitUrlParts } from './git-url';
export { listDeployments, type DeploymentSummary } from './deployments';
export { listImageUpdateAutomations, suspendImageUpdateAutomation, type ImageUpdateAutomation } from './image-automations';
export type { ReadyCondition } from './conditions';
export { fluxOwnerOf, readFluxObject, type FluxObjectRef, type FluxObjectState, type ReleaseSnapshot } from './flux-owner';
export { KubeError, ClusterUnreachable, ClusterAuthFailed, KustomizationNotFound, GitRepositoryNotFound, SourceNotFound, ClusterConfigInvalid, UnexpectedKubernetesObject, KubeApiError, FluxObjectNotFound } from './errors';
export { listObjects, readObject, readPodLog, type KubeObject, type ObjectKind } from './read-objects';
