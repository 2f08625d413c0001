/**
 * Errors of cluster access. Other capabilities switch on `name` (lib/flows/diffs/failure-message.ts), so the
 * names are part of the contract. No message ever carries a kubeconfig, token, client key or Secret value:
 * they name the cluster, the server host, the identity and what to fix.
 */
export class KubeError extends Error {
  /** The config.yaml name of the cluster, when the error concerns one. */
  readonly cluster: string | undefined;

  constructor(message: string, options?: ErrorOptions & { cluster?: string }) {
    super(message, options);
    this.name = 'KubeError';
    this.cluster = options?.cluster;
  }
}

/** The API server could not be reached: connection refused, DNS failure, timeout. */
export class ClusterUnreachable extends KubeError {
  constructor(
    cluster: string,
    readonly host: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cluster ${cluster} is unreachable at ${host}: ${reason}`, { ...options, cluster });
    this.name = 'ClusterUnreachable';
  }
}

/** 401 (credentials refused) or 403 (identity, or the impersonated identity, lacks the RBAC). */
export class ClusterAuthFailed extends KubeError {
  constructor(
    cluster: string,
    readonly status: 401 | 403,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`cluster ${cluster} ${status === 401 ? 'rejected the credentials' : 'refused the request'}: ${detail}`, { ...options, cluster });
    this.name = 'ClusterAuthFailed';
  }
}

export class KustomizationNotFound extends KubeError {
  constructor(cluster: string, namespace: string, name: string, options?: ErrorOptions) {
    super(`Kustomization ${namespace}/${name} not found on cluster ${cluster}`, { ...options, cluster });
    this.name = 'KustomizationNotFound';
  }
}

export class GitRepositoryNotFound extends KubeError {
  constructor(cluster: string, namespace: string, name: string, options?: ErrorOptions) {
    super(`GitRepository ${namespace}/${name} not found on cluster ${cluster}`, { ...options, cluster });
    this.name = 'GitRepositoryNotFound';
  }
}

/** The Flux object a workload's origin labels name is gone (or its source is). */
export class FluxObjectNotFound extends KubeError {
  constructor(cluster: string, kind: string, namespace: string, name: string, options?: ErrorOptions) {
    super(`${kind} ${namespace}/${name} not found on cluster ${cluster}`, { ...options, cluster });
    this.name = 'FluxObjectNotFound';
  }
}

/** A Flux source (an OCIRepository, a Secret of substituteFrom…) the Kustomization names does not exist. */
export class SourceNotFound extends KubeError {
  constructor(cluster: string, kind: string, namespace: string, name: string, options?: ErrorOptions) {
    super(`${kind} ${namespace}/${name} not found on cluster ${cluster}`, { ...options, cluster });
    this.name = 'SourceNotFound';
  }
}

/** The cluster entry of config.yaml, or the kubeconfig it points at, cannot be used; the message says what to fix. */
export class ClusterConfigInvalid extends KubeError {
  constructor(cluster: string, problem: string, options?: ErrorOptions) {
    super(`cluster ${cluster}: ${problem}`, { ...options, cluster });
    this.name = 'ClusterConfigInvalid';
  }
}

/** The API server answered with an object that does not have the shape its API version promises. */
export class UnexpectedKubernetesObject extends KubeError {
  constructor(cluster: string, what: string, problems: string[], options?: ErrorOptions) {
    super(`${what} on cluster ${cluster} does not have the expected shape: ${problems.join('; ')}`, { ...options, cluster });
    this.name = 'UnexpectedKubernetesObject';
  }
}

/** Any other API server failure (5xx, 429, ...), with the status code and the server's own message. */
export class KubeApiError extends KubeError {
  constructor(
    cluster: string,
    readonly status: number,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`cluster ${cluster} answered HTTP ${status}: ${detail}`, { ...options, cluster });
    this.name = 'KubeApiError';
  }
}
