export { appNameOf, versionOf, chartVersionOf, imageTagOf, imageRepositoryOf, type VersionSource } from './app-version';
export { readVersions, type VersionsDeps, type ClusterToRead, type ClusterReading, type AppOnCluster, type ReadVersionsOptions } from './read-versions';
export { listMessage, type ListView } from './list-message';
export { diffEnvironment, environmentDiffMessage, type EnvironmentDiff, type EnvironmentDifference } from './environment-diff';
export { VERSIONS_JOB_KINDS } from './job-kinds';
export {
  executeListJob,
  executeEnvironmentDiffJob,
  reportVersionsJob,
  listInputsSchema,
  environmentDiffInputsSchema,
  type ListInputs,
  type EnvironmentDiffInputs,
  type VersionsJobDeps,
} from './versions-jobs';
export { VersionsError, UnknownEnvironment, NoAppNamespaces } from './errors';
