export { configSchemas, type Config, type RepositoryRule, type PullRequestRules, type DiffTarget, type ClusterAccess, type GitopsConfig, type PolicyConfig } from './schema';
export { DEFAULT_ADMIN_APPROVAL, DEFAULT_PROTECTED_NAMESPACES, RISK_FLAG_IDS, type RiskFlagId } from './risk-flag-ids';
export { guardedFlags } from './policy';
export { type LoadConfigOptions } from './load';
export { loadConfig, parseConfig } from './load-checked';
export { requireEnv, settingsFrom, type Env, type Settings } from './env';
export { ConfigError, InvalidConfig, MissingEnvironmentVariable } from './errors';
export { findRepositoryRule, isConfiguredDiffTarget } from './repository-rule';
export { channelBinding, clusterAccess, remoteClusterOf, executorEntry, executorOfEntry, remoteExecutor, unsetExecutorSecrets, gitopsPathOf, isKnownCluster, type ChannelBinding, type ExecutorEntry, type RemoteExecutor } from './lookup';
