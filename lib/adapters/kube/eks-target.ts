import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { ClusterTarget, Impersonation } from './cluster-target';
import { createEksClusterLookup, describeClusterOnce, type EksClusterLookup } from './eks-cluster';
import type { AwsCredentials } from './eks-token';
import { eksTokenSource } from './eks-token-cache';
import { ClusterAuthFailed, ClusterConfigInvalid, ClusterUnreachable, KubeError } from './errors';

/** config.yaml `clusters.<name>.eks` (lib/core/config/schema.ts). */
export interface EksAccess {
  name: string;
  region: string;
  server?: string;
  caData?: string;
}

export interface EksDeps {
  /** DescribeCluster; defaults to @aws-sdk/client-eks with `credentials`. */
  eks?: EksClusterLookup;
  /** Defaults to the AWS SDK's default chain (the Lambda role). */
  credentials?: AwsCredentials;
  now?: () => Date;
  /** How long a token handed out must stay valid (the longest flux run). @default EKS_TOKEN_MIN_VALIDITY_MS (7 minutes) */
  minTokenValidityMs?: number;
}

let containerCredentials: AwsCredentials | undefined;
const lookups = new WeakMap<object, EksClusterLookup>();

/** The API server of an EKS cluster and a source of fresh tokens for it. */
export async function eksTarget(cluster: string, eks: EksAccess, deps: EksDeps, impersonate: Impersonation | undefined): Promise<{ target: ClusterTarget; bearerToken: () => Promise<string> }> {
  // defaultProvider() memoizes and refreshes the role's credentials: one per container.
  const credentials = deps.credentials ?? (containerCredentials ??= defaultProvider());
  const { server, caData } = eks.server && eks.caData ? { server: eks.server, caData: eks.caData } : await describe(cluster, eks, deps.eks ?? lookupFor(credentials));
  const mint = eksTokenSource({
    clusterName: eks.name,
    region: eks.region,
    credentials,
    now: deps.now ?? (() => new Date()),
    ...(deps.minTokenValidityMs === undefined ? {} : { minValidityMs: deps.minTokenValidityMs }),
  });
  const bearerToken = async () => {
    try {
      return await mint();
    } catch (err) {
      throw new ClusterAuthFailed(cluster, 401, `no AWS credentials to sign an EKS token for ${eks.name} (${(err as Error).name}): check the Lambda role or the local AWS profile`, { cause: err });
    }
  };
  return {
    target: {
      server,
      caData,
      skipTlsVerify: false,
      identity: `the AWS identity of the worker (EKS token for ${eks.name} in ${eks.region})`,
      auth: { token: await bearerToken() },
      ...(impersonate ? { impersonate } : {}),
    },
    bearerToken,
  };
}

function lookupFor(credentials: AwsCredentials): EksClusterLookup {
  let lookup = lookups.get(credentials);
  if (!lookup) {
    lookup = createEksClusterLookup({ credentials });
    lookups.set(credentials, lookup);
  }
  return lookup;
}

async function describe(cluster: string, eks: EksAccess, lookup: EksClusterLookup): Promise<{ server: string; caData: string }> {
  let found;
  try {
    found = await describeClusterOnce(lookup, { name: eks.name, region: eks.region });
  } catch (err) {
    throw describeError(cluster, eks, err);
  }
  const server = eks.server ?? found.endpoint;
  const caData = eks.caData ?? found.caData;
  if (!server || !caData) {
    throw new ClusterConfigInvalid(cluster, `EKS cluster ${eks.name} in ${eks.region} has no endpoint or CA yet (status ${found.status ?? 'unknown'}); wait until it is ACTIVE`);
  }
  return { server, caData };
}

function describeError(cluster: string, eks: EksAccess, err: unknown): KubeError {
  const name = err instanceof Error ? err.name : 'Error';
  const cause = { cause: err };
  const where = `EKS cluster ${eks.name} in ${eks.region}`;
  switch (name) {
    case 'ResourceNotFoundException':
      return new ClusterConfigInvalid(cluster, `${where} does not exist: fix clusters.${cluster}.eks in config.yaml`, cause);
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'ExpiredTokenException':
    case 'InvalidSignatureException':
    case 'CredentialsProviderError':
      return new ClusterAuthFailed(cluster, 403, `DescribeCluster of ${where} was refused (${name}): allow eks:DescribeCluster to the worker's role, or set server and caData in clusters.${cluster}.eks`, cause);
    case 'TimeoutError':
    case 'NetworkingError':
      return new ClusterUnreachable(cluster, `eks.${eks.region}.amazonaws.com`, `DescribeCluster failed (${name})`, cause);
    default:
      return new KubeError(`cluster ${cluster}: DescribeCluster of ${where} failed (${name})`, { ...cause, cluster });
  }
}
