import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { AwsCredentials } from './eks-token';

/** What DescribeCluster tells us: where the API server is and which CA signed its certificate. */
export interface EksClusterEndpoint {
  endpoint?: string;
  /** Base64 PEM, as in the kubeconfig's certificate-authority-data. */
  caData?: string;
  status?: string;
}

/** The EKS API, reduced to the one call Fluxline needs; injectable so tests need no AWS. */
export interface EksClusterLookup {
  describeCluster(input: { name: string; region: string }): Promise<EksClusterEndpoint>;
}

export interface EksClusterLookupOptions {
  credentials?: AwsCredentials;
  /** An EKS endpoint other than AWS's (a local fake). */
  endpoint?: string;
}

/**
 * DescribeCluster's timeouts: the SDK's defaults wait on a silent socket indefinitely, and the job's
 * cluster read must fail (ClusterUnreachable) well within the worker's time. 1 s connect, 5 s per
 * attempt, 2 attempts.
 */
const EKS_REQUEST_HANDLER = { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true };
const EKS_MAX_ATTEMPTS = 2;

/** DescribeCluster through @aws-sdk/client-eks, one client per region. */
export function createEksClusterLookup(options: EksClusterLookupOptions = {}): EksClusterLookup {
  const clients = new Map<string, EKSClient>();
  const clientFor = (region: string) => {
    let client = clients.get(region);
    if (!client) {
      client = new EKSClient({ region, maxAttempts: EKS_MAX_ATTEMPTS, requestHandler: EKS_REQUEST_HANDLER, ...(options.credentials ? { credentials: options.credentials } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
      clients.set(region, client);
    }
    return client;
  };
  return {
    async describeCluster({ name, region }) {
      const { cluster } = await clientFor(region).send(new DescribeClusterCommand({ name }));
      return { endpoint: cluster?.endpoint, caData: cluster?.certificateAuthority?.data, status: cluster?.status };
    },
  };
}

// An endpoint and CA do not change for the life of a cluster: ask once per container.
const described = new WeakMap<EksClusterLookup, Map<string, Promise<EksClusterEndpoint>>>();

export function describeClusterOnce(lookup: EksClusterLookup, input: { name: string; region: string }): Promise<EksClusterEndpoint> {
  const cache = described.get(lookup) ?? new Map<string, Promise<EksClusterEndpoint>>();
  described.set(lookup, cache);
  const key = `${input.region}/${input.name}`;
  let result = cache.get(key);
  if (!result) {
    const pending = lookup.describeCluster(input);
    cache.set(key, pending);
    // Failures (throttling) and clusters still being created are asked again by the next job, not cached.
    const forget = () => {
      if (cache.get(key) === pending) cache.delete(key);
    };
    pending.then((found) => (found.endpoint && found.caData ? undefined : forget()), forget);
    result = pending;
  }
  return result;
}
