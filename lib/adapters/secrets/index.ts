// Secrets and SSM parameters: a variable locally, `<NAME>_PARAM` in AWS (all of a function's in one
// GetParameters, cached). An adapter, not part of the config kernel: it calls AWS.
export { readParameter, readSecret, requireSecret, preloadParameters, clearParameterCache, parameterFingerprint } from './secrets';
export { refreshedWithParameters } from './refreshing';
export { createParameterCache, parameterNamesOf, PARAMETER_MAX_AGE_MS, type ParameterCache, type ParameterCacheOptions } from './parameter-cache';
