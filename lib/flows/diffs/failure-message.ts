import type { DiffOutcome } from '../../adapters/flux';

/** What an operator should look at for each way a diff can fail, next to flux's own error line. */
export function diffFailureHint(outcome: DiffOutcome | { kind: 'error'; name: string }): string {
  switch (outcome.kind) {
    case 'build-error':
      return 'flux could not build or dry-run the manifests of this PR: check the kustomization.yaml files under its path, and that every namespace and CRD it needs exists on the cluster.';
    case 'usage-error':
      return 'flux rejected its arguments: this is a Fluxline bug or a flux version mismatch; check the flux layer version.';
    case 'timeout':
      return 'flux did not finish in time: the cluster may be slow to answer dry-runs, or the Kustomization is very large. Try again; if it persists, raise the worker timeout.';
    case 'crashed':
      return 'the flux process died: check the worker logs for this job and the flux layer (architecture arm64).';
    case 'error':
      switch (outcome.name) {
        case 'ClusterUnreachable':
          return 'check the cluster endpoint in config.yaml and that the worker (VPC, security groups) can reach it.';
        case 'ClusterConfigInvalid':
          return "fix this cluster's entry under `clusters` in config.yaml (kubeconfig file, context or SSM parameter; exec plugins cannot run in Lambda).";
        case 'ClusterAuthFailed':
          return "check the worker's cluster credentials (EKS access entry or kubeconfig) and its RBAC.";
        case 'KustomizationNotFound':
        case 'GitRepositoryNotFound':
          return 'check the diff target in config.yaml (`repositories[].diffs`): the object must exist on that cluster.';
        case 'PathRemoved':
          return "nothing was diffed: the message says what merging does to this Kustomization's objects.";
        case 'RemoteCluster':
          return 'Fluxline diffs only against clusters it can reach: the message says how to add this one.';
        case 'SourceMissing':
        case 'SourceNotFound':
          return 'create the missing object on the cluster (or fix the reference), then run the diff again.';
        case 'SourceMismatch':
          return "this Kustomization does not build from the PR's repository; point the diff target at one that does.";
        case 'PullRequestNotFound':
        case 'AppNotInstalled':
          return 'check that the GitHub App is installed on the repository and the PR exists.';
        case 'UnsafeTarball':
        case 'TarballTooLarge':
          return 'the PR tarball was refused; its content or size is outside what Fluxline extracts.';
        default:
          return 'see the worker logs for this job id.';
      }
    default:
      return 'see the worker logs for this job id.';
  }
}
