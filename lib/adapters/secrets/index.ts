// Secrets and SSM parameters: a variable locally, `<NAME>_PARAM` in AWS (all of a function's in one
// GetParameters, cached). An adapter, not part of the config kernel: it calls AWS.
export { readParameter, readSecret, requireSecret, preloadParameters, clearParameterCache } from './secrets';
export { createParameterCache, parameterNamesOf, type ParameterCache, type ParameterCacheOptions } from './parameter-cache';
