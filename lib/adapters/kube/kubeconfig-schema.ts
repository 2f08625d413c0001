import * as z from '../../core/validation';

/**
 * The kubeconfig format (clientcmd v1, `kubectl config view`), as far as Fluxline reads it. Loose objects:
 * real kubeconfigs carry `extensions` and fields we do not use, and those must not make a file invalid.
 */
const clusterSchema = z.looseObject({
  server: z.string().check(z.minLength(1)),
  'certificate-authority-data': z.optional(z.string()),
  'certificate-authority': z.optional(z.string()),
  'insecure-skip-tls-verify': z.optional(z.boolean()),
  'tls-server-name': z.optional(z.string()),
  'proxy-url': z.optional(z.string()),
});

const userSchema = z.looseObject({
  token: z.optional(z.string()),
  // clientcmd spells it tokenFile; client-node also reads token-file.
  tokenFile: z.optional(z.string()),
  'token-file': z.optional(z.string()),
  'client-certificate-data': z.optional(z.string()),
  'client-certificate': z.optional(z.string()),
  'client-key-data': z.optional(z.string()),
  'client-key': z.optional(z.string()),
  username: z.optional(z.string()),
  password: z.optional(z.string()),
  as: z.optional(z.string()),
  'as-groups': z.optional(z.array(z.string())),
  'as-uid': z.optional(z.string()),
  'as-user-extra': z.optional(z.record(z.string(), z.array(z.string()))),
  exec: z.optional(z.looseObject({ command: z.optional(z.string()) })),
  'auth-provider': z.optional(z.looseObject({ name: z.optional(z.string()) })),
});

const contextSchema = z.looseObject({
  cluster: z.string().check(z.minLength(1)),
  user: z.optional(z.string()),
  namespace: z.optional(z.string()),
});

const name = z.string().check(z.minLength(1));
// `kubectl config` writes `users: null` for an empty list, and `user: null` for a user without credentials.
const list = <T extends z.ZodMiniType>(item: T) => z.pipe(z.nullish(z.array(item)), z.transform((items) => items ?? []));

export const kubeconfigSchema = z.looseObject({
  clusters: list(z.looseObject({ name, cluster: clusterSchema })),
  users: list(z.looseObject({ name, user: z.pipe(z.nullish(userSchema), z.transform((user) => user ?? {})) })),
  contexts: list(z.looseObject({ name, context: contextSchema })),
  'current-context': z.optional(z.string()),
});

export type Kubeconfig = z.infer<typeof kubeconfigSchema>;
export type KubeconfigCluster = z.infer<typeof clusterSchema>;
export type KubeconfigUser = z.infer<typeof userSchema>;
export type KubeconfigContext = z.infer<typeof contextSchema>;
