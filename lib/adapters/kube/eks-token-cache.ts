import { mintEksToken, type AwsCredentials } from './eks-token';

/** EKS accepts a token for 15 minutes after it was signed (aws-iam-authenticator). */
export const EKS_TOKEN_VALIDITY_MS = 15 * 60 * 1000;

/**
 * How long a token handed out must stay valid: flux reads it from its kubeconfig once and uses it for the
 * whole run, which the worker caps at its own Lambda timeout (6 minutes, serverless.yml); one more minute
 * to spare. So a token is reused for its first 8 minutes, then a fresh one is minted.
 */
export const EKS_TOKEN_MIN_VALIDITY_MS = 7 * 60 * 1000;

interface Minted {
  token: Promise<string>;
  mintedAt: number;
}

// Per credentials source (the container's default provider, or one injected by a test), per cluster.
const tokens = new WeakMap<object, Map<string, Minted>>();

export interface EksTokenSourceInput {
  clusterName: string;
  region: string;
  credentials: AwsCredentials;
  now: () => Date;
  /** A cached token is reused only while at least this much of its life remains. @default EKS_TOKEN_MIN_VALIDITY_MS */
  minValidityMs?: number;
}

/** A function returning a valid token for the cluster, minting a new one only when the cached one is old. */
export function eksTokenSource(input: EksTokenSourceInput): () => Promise<string> {
  const key = `${input.region}/${input.clusterName}`;
  const reuseMs = EKS_TOKEN_VALIDITY_MS - (input.minValidityMs ?? EKS_TOKEN_MIN_VALIDITY_MS);
  return () => {
    const perCluster = tokens.get(input.credentials) ?? new Map<string, Minted>();
    tokens.set(input.credentials, perCluster);
    const now = input.now();
    const cached = perCluster.get(key);
    if (cached && now.getTime() - cached.mintedAt <= reuseMs) return cached.token;
    const token = mintEksToken({ clusterName: input.clusterName, region: input.region, credentials: input.credentials, signingDate: now });
    const entry = { token, mintedAt: now.getTime() };
    perCluster.set(key, entry);
    // A failed mint (no credentials yet) must not be served from the cache.
    token.catch(() => {
      if (perCluster.get(key) === entry) perCluster.delete(key);
    });
    return token;
  };
}
