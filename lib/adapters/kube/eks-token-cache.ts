import { mintEksToken, type AwsCredentials } from './eks-token';

/**
 * EKS tokens are valid 15 minutes after signing. One is reused for 10 minutes, so a token handed out is
 * always good for at least 5 more — enough for the kubeconfig the flux CLI reads right after.
 */
export const EKS_TOKEN_REUSE_MS = 10 * 60 * 1000;

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
}

/** A function returning a valid token for the cluster, minting a new one only when the cached one is old. */
export function eksTokenSource(input: EksTokenSourceInput): () => Promise<string> {
  const key = `${input.region}/${input.clusterName}`;
  return () => {
    const perCluster = tokens.get(input.credentials) ?? new Map<string, Minted>();
    tokens.set(input.credentials, perCluster);
    const now = input.now();
    const cached = perCluster.get(key);
    if (cached && now.getTime() - cached.mintedAt < EKS_TOKEN_REUSE_MS) return cached.token;
    const token = mintEksToken({ clusterName: input.clusterName, region: input.region, credentials: input.credentials, signingDate: now });
    const entry = { token, mintedAt: now.getTime() };
    perCluster.set(key, entry);
    // A failed mint (no credentials yet) must not be served from the cache for ten minutes.
    token.catch(() => {
      if (perCluster.get(key) === entry) perCluster.delete(key);
    });
    return token;
  };
}
