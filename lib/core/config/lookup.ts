import type { ClusterAccess, Config, GitopsConfig } from './schema';

/**
 * Config maps indexed by a name from outside (a button value, a typed word, a URL path). `name in map`
 * and `map[name]` see the prototype too: `constructor`, `toString` or `__proto__` would look like a
 * cluster. Every lookup by such a name goes through these, which see own keys only.
 */
function own<T>(map: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

export function isKnownCluster(config: Pick<Config, 'clusters'>, name: string): boolean {
  return Object.hasOwn(config.clusters, name);
}

/** How to reach a cluster named in config.yaml; undefined for any other name. */
export function clusterAccess(config: Pick<Config, 'clusters'>, name: string): ClusterAccess | undefined {
  return own(config.clusters, name);
}

export type ChannelBinding = Config['slack']['channels'][string];

/** The `slack.channels` binding of a channel, if it has one. */
export function channelBinding(config: Pick<Config, 'slack'>, channel: string): ChannelBinding | undefined {
  return own(config.slack.channels, channel);
}

/** The folder `gitops.paths` sets for an environment, if any. */
export function gitopsPathOf(gitops: Pick<GitopsConfig, 'paths'>, environment: string): string | undefined {
  return own(gitops.paths, environment);
}

export type ExecutorEntry = Config['executors'][string];

/** The `executors:` entry of a name, if config.yaml has one. */
export function executorEntry(config: Pick<Config, 'executors'>, name: string): ExecutorEntry | undefined {
  return own(config.executors, name);
}

/**
 * The configured cluster a Kustomization of `cluster` applies to through `spec.kubeConfig`, named by the
 * Secret or ConfigMap it reads there (`clusters.<cluster>.remoteClusters`); undefined when config does not say.
 */
export function remoteClusterOf(config: Pick<Config, 'clusters'>, cluster: string, kubeConfigRef: { namespace: string; name: string }): string | undefined {
  const remotes = clusterAccess(config, cluster)?.remoteClusters;
  return remotes ? own(remotes, `${kubeConfigRef.namespace}/${kubeConfigRef.name}`) : undefined;
}

/** The executor an `executors:` entry runs: the built-in it `use`s, else (http, lambda) the entry itself. */
export function executorOfEntry(name: string, entry: ExecutorEntry): string {
  return entry.use ?? name;
}

/** How to reach an out-of-process executor, by its entry's name; undefined for a built-in's entry or any other name. */
export type RemoteExecutor = { kind: 'http'; name: string; http: NonNullable<ExecutorEntry['http']>; config: unknown } | { kind: 'lambda'; name: string; lambda: NonNullable<ExecutorEntry['lambda']>; config: unknown };

export function remoteExecutor(config: Pick<Config, 'executors'>, name: string): RemoteExecutor | undefined {
  const entry = executorEntry(config, name);
  if (entry?.http) return { kind: 'http', name, http: entry.http, config: entry.config ?? {} };
  if (entry?.lambda) return { kind: 'lambda', name, lambda: entry.lambda, config: entry.config ?? {} };
  return undefined;
}

/**
 * The HTTP executors whose shared secret is an environment variable (`secret: { env }`, npm start only) that
 * this environment does not set: their runs fail until it is, so the runtime says so once when it starts.
 */
export function unsetExecutorSecrets(config: Pick<Config, 'executors'>, env: Readonly<Record<string, string | undefined>>): { executor: string; variable: string }[] {
  return Object.entries(config.executors).flatMap(([executor, entry]) => {
    const variable = entry.http?.secret.env;
    return variable && !env[variable] ? [{ executor, variable }] : [];
  });
}
