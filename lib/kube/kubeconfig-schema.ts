import { z } from 'zod';

/**
 * The kubeconfig format (clientcmd v1, `kubectl config view`), as far as Fluxline reads it. Loose objects:
 * real kubeconfigs carry `extensions` and fields we do not use, and those must not make a file invalid.
 */
const clusterSchema = z.looseObject({
  server: z.string().min(1),
  'certificate-authority-data': z.string().optional(),
  'certificate-authority': z.string().optional(),
  'insecure-skip-tls-verify': z.boolean().optional(),
  'tls-server-name': z.string().optional(),
  'proxy-url': z.string().optional(),
});

const userSchema = z.looseObject({
  token: z.string().optional(),
  // clientcmd spells it tokenFile; client-node also reads token-file.
  tokenFile: z.string().optional(),
  'token-file': z.string().optional(),
  'client-certificate-data': z.string().optional(),
  'client-certificate': z.string().optional(),
  'client-key-data': z.string().optional(),
  'client-key': z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  as: z.string().optional(),
  'as-groups': z.array(z.string()).optional(),
  'as-uid': z.string().optional(),
  'as-user-extra': z.record(z.string(), z.array(z.string())).optional(),
  exec: z.looseObject({ command: z.string().optional() }).optional(),
  'auth-provider': z.looseObject({ name: z.string().optional() }).optional(),
});

const contextSchema = z.looseObject({
  cluster: z.string().min(1),
  user: z.string().optional(),
  namespace: z.string().optional(),
});

const name = z.string().min(1);
// `kubectl config` writes `users: null` for an empty list, and `user: null` for a user without credentials.
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((items) => items ?? []);

export const kubeconfigSchema = z.looseObject({
  clusters: list(z.looseObject({ name, cluster: clusterSchema })),
  users: list(z.looseObject({ name, user: userSchema.nullish().transform((user) => user ?? {}) })),
  contexts: list(z.looseObject({ name, context: contextSchema })),
  'current-context': z.string().optional(),
});

export type Kubeconfig = z.infer<typeof kubeconfigSchema>;
export type KubeconfigCluster = z.infer<typeof clusterSchema>;
export type KubeconfigUser = z.infer<typeof userSchema>;
export type KubeconfigContext = z.infer<typeof contextSchema>;
